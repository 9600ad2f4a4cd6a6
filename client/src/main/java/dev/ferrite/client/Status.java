package dev.ferrite.client;

import dev.ferrite.transport.sbe.ErrorCode;
import dev.ferrite.transport.sbe.ResultCode;

/** The outcome of a keyed operation that a caller acts on. Errors are thrown as {@link FerriteException}. */
public enum Status
{
    OK,
    NOT_FOUND,
    /** set only-if-absent found the key present. */
    EXISTS,
    /** set only-if-version, or a versioned delete, found another version. */
    VERSION_MISMATCH;

    static Status of(final ResultCode code)
    {
        switch (code)
        {
            case OK:
                return OK;
            case NOT_FOUND:
                return NOT_FOUND;
            case EXISTS:
                return EXISTS;
            case VERSION_MISMATCH:
                return VERSION_MISMATCH;
            default:
                throw new FerriteException(ErrorCode.INTERNAL, "unexpected result code " + code);
        }
    }
}
