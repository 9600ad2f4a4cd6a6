package dev.ferrite.engine.log;

import org.agrona.UnsafeApi;

/**
 * One native allocation for a whole store, outside the Java heap and outside the direct-memory
 * limit (so -Xmx and -XX:MaxDirectMemorySize do not bound the cache), freed exactly once.
 * {@link #liveBytes()} counts what every store in the JVM holds, so a leak shows.
 */
public final class OffHeapMemory
{
    private static final java.util.concurrent.atomic.AtomicLong LIVE_BYTES = new java.util.concurrent.atomic.AtomicLong();

    private final long address;
    private final long length;
    private final java.util.concurrent.atomic.AtomicBoolean freed = new java.util.concurrent.atomic.AtomicBoolean();

    public OffHeapMemory(final long length)
    {
        if (length <= 0)
        {
            throw new IllegalArgumentException("length=" + length + " must be positive");
        }
        this.address = UnsafeApi.allocateMemory(length);
        this.length = length;
        LIVE_BYTES.addAndGet(length);
        UnsafeApi.setMemory(address, length, (byte)0);
    }

    /** Native bytes held by every store of this JVM that is not closed yet: allocated and not freed. */
    public static long liveBytes()
    {
        return LIVE_BYTES.get();
    }

    public long address()
    {
        return address;
    }

    public long length()
    {
        return length;
    }

    /** Called by close, after every operation in flight has finished; frees once, whoever else calls it. */
    public void free()
    {
        if (freed.compareAndSet(false, true))
        {
            UnsafeApi.freeMemory(address);
            LIVE_BYTES.addAndGet(-length);
        }
    }
}
