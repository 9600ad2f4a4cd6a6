package dev.ferrite.client;

import dev.ferrite.transport.sbe.ErrorCode;

/** A request failed: the node's error code and message, or the client's reason with the closest code. */
public class FerriteException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public FerriteException(final ErrorCode code, final String message)
    {
        super(code + ": " + message);
        this.code = code;
    }

    public FerriteException(final ErrorCode code, final String message, final Throwable cause)
    {
        super(code + ": " + message, cause);
        this.code = code;
    }

    public ErrorCode code()
    {
        return code;
    }
}
