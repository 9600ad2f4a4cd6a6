package dev.ferrite.client;

import dev.ferrite.transport.sbe.ErrorCode;

/**
 * No answer within the request's timeout. The request may or may not have taken effect on the node;
 * an answer that arrives later is dropped.
 */
public final class FerriteTimeoutException extends FerriteException
{
    private static final long serialVersionUID = 1L;

    public FerriteTimeoutException(final String message)
    {
        super(ErrorCode.TIMEOUT, message);
    }

    public FerriteTimeoutException(final String message, final Throwable cause)
    {
        super(ErrorCode.TIMEOUT, message, cause);
    }
}
