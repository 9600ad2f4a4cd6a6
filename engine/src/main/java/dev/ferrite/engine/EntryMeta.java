package dev.ferrite.engine;

/**
 * Caller-owned holder for what a read found besides the value bytes: reuse one per thread to stay
 * allocation-free.
 */
public final class EntryMeta
{
    long version;
    long expiresAtMillis;
    int valueLength;

    /** Version of the record read; 0 when nothing was found. */
    public long version()
    {
        return version;
    }

    /** Absolute expiry in epoch milliseconds, 0 for never. */
    public long expiresAtMillis()
    {
        return expiresAtMillis;
    }

    /** Length of the value found, also set when the destination was too small. */
    public int valueLength()
    {
        return valueLength;
    }

    /** Filled in by the store; callers only read. */
    public void set(final long version, final long expiresAtMillis, final int valueLength)
    {
        this.version = version;
        this.expiresAtMillis = expiresAtMillis;
        this.valueLength = valueLength;
    }

    @Override
    public String toString()
    {
        return "EntryMeta{version=" + version + ", expiresAtMillis=" + expiresAtMillis + ", valueLength=" + valueLength + '}';
    }
}
