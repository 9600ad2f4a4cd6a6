package dev.ferrite.client;

/**
 * What a get found.
 *
 * @param status             {@link Status#OK} or {@link Status#NOT_FOUND}.
 * @param value              the value, or null when not found.
 * @param version            the entry's version (0 when not found).
 * @param ttlRemainingMillis time to live left, -1 when the entry never expires.
 */
public record GetResult(Status status, byte[] value, long version, long ttlRemainingMillis)
{
    public boolean found()
    {
        return status == Status.OK;
    }
}
