package dev.ferrite.stress.lincheck;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.EntryMeta;
import dev.ferrite.engine.FerriteCache;
import dev.ferrite.engine.Status;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;

/**
 * FerriteCache seen as a map from small int keys to small int values, as Lincheck drives it: one
 * instance per scenario, operations over three keys so that threads collide. The conditional
 * operations replaceIfEquals and removeIfEquals are built the way {@code FerriteMap} builds
 * ConcurrentMap's replace(k, old, new) and remove(k, old): read the version, then compareAndSet or
 * a versioned remove, retried on VERSION_MISMATCH; they are linearizable only if compareAndSet and
 * the versioned remove are.
 *
 * <p>Lincheck creates an instance per invocation and never closes it; each new instance closes
 * the previous one (invocations run one at a time), so off-heap memory does not pile up.
 */
@Param(name = "key", gen = IntGen.class, conf = "1:3")
@Param(name = "value", gen = IntGen.class, conf = "1:3")
public class CacheMapOperations
{
    private static FerriteCache previous;

    private final FerriteCache cache;
    private final EntryMeta meta = new EntryMeta();

    public CacheMapOperations()
    {
        synchronized (CacheMapOperations.class)
        {
            if (previous != null)
            {
                previous.close();
            }
            // Fixed clock and hash seed: model checking replays an invocation and needs it deterministic.
            cache = FerriteCache.create(new CacheConfig()
                .capacityBytes((long)CacheConfig.MIN_SEGMENTS * CacheConfig.MIN_SEGMENT_BYTES * 2)
                .segmentBytes(CacheConfig.MIN_SEGMENT_BYTES)
                .maxValueLength(64)
                .evictionEnabled(false)
                .hashSeed(42)
                .clock(() -> 1_000L));
            previous = cache;
        }
    }

    @Operation
    public Integer get(@Param(name = "key") final int key)
    {
        final byte[] value = cache.get(key(key));
        return value == null ? null : (int)value[0];
    }

    @Operation
    public boolean containsKey(@Param(name = "key") final int key)
    {
        return cache.containsKey(key(key));
    }

    @Operation
    public void put(@Param(name = "key") final int key, @Param(name = "value") final int value)
    {
        cache.put(key(key), value(value));
    }

    @Operation
    public boolean putIfAbsent(@Param(name = "key") final int key, @Param(name = "value") final int value)
    {
        return cache.putIfAbsent(key(key), value(value), 0) > 0;
    }

    @Operation
    public boolean replace(@Param(name = "key") final int key, @Param(name = "value") final int value)
    {
        return cache.replace(key(key), value(value), 0) > 0;
    }

    @Operation
    public boolean remove(@Param(name = "key") final int key)
    {
        return cache.remove(key(key)) > 0;
    }

    @Operation
    public boolean replaceIfEquals(
        @Param(name = "key") final int key, @Param(name = "value") final int expected, @Param(name = "value") final int value)
    {
        final byte[] k = key(key);
        while (true)
        {
            final byte[] current = cache.get(k, meta);
            if (current == null || current[0] != expected)
            {
                return false;
            }
            final long result = cache.compareAndSet(k, value(value), 0, meta.version());
            if (result > 0)
            {
                return true;
            }
            if (result != Status.VERSION_MISMATCH && result != Status.MISS)
            {
                throw new IllegalStateException("compareAndSet: " + Status.describe(result));
            }
        }
    }

    @Operation
    public boolean removeIfEquals(@Param(name = "key") final int key, @Param(name = "value") final int expected)
    {
        final byte[] k = key(key);
        final org.agrona.concurrent.UnsafeBuffer keyBuffer = new org.agrona.concurrent.UnsafeBuffer(k);
        while (true)
        {
            final byte[] current = cache.get(k, meta);
            if (current == null || current[0] != expected)
            {
                return false;
            }
            final long result = cache.remove(keyBuffer, 0, k.length, meta.version());
            if (result > 0)
            {
                return true;
            }
            if (result != Status.VERSION_MISMATCH && result != Status.MISS)
            {
                throw new IllegalStateException("remove: " + Status.describe(result));
            }
        }
    }

    private static byte[] key(final int key)
    {
        return new byte[]{'k', (byte)key};
    }

    private static byte[] value(final int value)
    {
        return new byte[]{(byte)value};
    }
}
