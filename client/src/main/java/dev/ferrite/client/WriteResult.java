package dev.ferrite.client;

/**
 * What a set, delete or touch did.
 *
 * @param status             OK, or why it did not take effect (NOT_FOUND, EXISTS, VERSION_MISMATCH).
 * @param version            the entry's version after the operation (0 if none).
 * @param ttlRemainingMillis time to live left after the operation, -1 = no expiry (as the node reports it).
 */
public record WriteResult(Status status, long version, long ttlRemainingMillis)
{
    public boolean ok()
    {
        return status == Status.OK;
    }
}
