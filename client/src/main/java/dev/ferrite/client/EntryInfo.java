package dev.ferrite.client;

/**
 * Reusable out-parameter of the zero-garbage calls: the version and TTL the node reported. One per
 * calling thread; never shared between threads.
 */
public final class EntryInfo
{
    long version;
    long ttlRemainingMillis;

    /** The entry's version after the call, 0 if none. */
    public long version()
    {
        return version;
    }

    /** Time to live left, -1 = no expiry. */
    public long ttlRemainingMillis()
    {
        return ttlRemainingMillis;
    }

    void set(final long version, final long ttlRemainingMillis)
    {
        this.version = version;
        this.ttlRemainingMillis = ttlRemainingMillis;
    }
}
