package dev.ferrite.engine;

import org.agrona.concurrent.CachedEpochClock;

import java.util.ArrayList;
import java.util.List;

/**
 * The configurations every behaviour test runs over: eviction on and off, a small and a large
 * budget, tiny values and 1 MiB values, one store and four shards.
 */
final class CacheMatrix
{
    static final long START_MILLIS = 1_700_000_000_000L;

    private CacheMatrix()
    {
    }

    /** Shards of the sharded cases; their values are capped so that a shard's share holds enough segments. */
    static final int SHARDS = 4;
    static final int SHARDED_MAX_VALUE_LENGTH = 64 * 1024;

    record Case(String name, boolean eviction, long capacityBytes, int valueBytes, int shards)
    {
        Case(final String name, final boolean eviction, final long capacityBytes, final int valueBytes)
        {
            this(name, eviction, capacityBytes, valueBytes, 0); // shards picked by the config: one at these sizes
        }

        FerriteCache create(final CachedEpochClock clock)
        {
            final CacheConfig config = new CacheConfig()
                .capacityBytes(capacityBytes)
                .evictionEnabled(eviction)
                .shards(shards)
                .clock(clock);
            if (shards > 1)
            {
                config.maxValueLength(SHARDED_MAX_VALUE_LENGTH);
            }
            return FerriteCache.create(config);
        }

        @Override
        public String toString()
        {
            return name;
        }
    }

    static List<Case> cases()
    {
        final List<Case> cases = new ArrayList<>();
        for (final boolean eviction : new boolean[]{true, false})
        {
            for (final long capacity : new long[]{1L << 20, 64L << 20})
            {
                for (final int valueBytes : new int[]{8, 1 << 20})
                {
                    if (valueBytes == 1 << 20 && capacity < 16L << 20)
                    {
                        continue; // a 1 MiB record cannot fit one segment of a 1 MiB store
                    }
                    cases.add(new Case((eviction ? "evicting" : "no-eviction") + "/" + (capacity >> 20) + "MiB/" +
                        (valueBytes >= 1024 ? valueBytes / 1024 + "KiB" : valueBytes + "B") + " values",
                        eviction, capacity, valueBytes));
                }
            }
            cases.add(new Case((eviction ? "evicting" : "no-eviction") + "/64MiB/8B values/" + SHARDS + " shards",
                eviction, 64L << 20, 8, SHARDS));
        }
        return cases;
    }

    static CachedEpochClock clock()
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(START_MILLIS);
        return clock;
    }

    static byte[] value(final int length, final int seed)
    {
        final byte[] value = new byte[length];
        for (int i = 0; i < length; i++)
        {
            value[i] = (byte)(seed * 31 + i);
        }
        return value;
    }
}
