package dev.ferrite.engine;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.*;

/** The DirectBuffer API allocates nothing per operation, evictions and reclaim included. */
class ZeroGarbageTest
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @Test
    void shouldAllocateNothingOnGetPutRemoveTouchWhileEvicting()
    {
        assertAllocatesNothing(new CacheConfig().capacityBytes(2 << 20));
    }

    /** Routing to a shard hashes once and picks by a multiply: nothing allocated either. */
    @Test
    void shouldAllocateNothingInAShardedCache()
    {
        final CacheConfig config = new CacheConfig().capacityBytes(4 << 20).maxKeyLength(64).maxValueLength(1024).shards(4);
        assertEquals(4, config.conclude().shards());
        assertAllocatesNothing(config);
    }

    private static void assertAllocatesNothing(final CacheConfig config)
    {
        try (FerriteCache cache = FerriteCache.create(config))
        {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[100]);
            final UnsafeBuffer destination = new UnsafeBuffer(new byte[100]);
            final EntryMeta meta = new EntryMeta();
            for (int i = 0; i < 3; i++)
            {
                runOperations(cache, key, value, destination, meta, 200_000); // warm up: JIT, thread locals, adders
            }

            final long threadId = Thread.currentThread().getId();
            final long evictionsBefore = cache.stats().evictions();
            // The measuring call itself may allocate: measure it once, to subtract.
            final long calibrationStart = THREADS.getThreadAllocatedBytes(threadId);
            final long before = THREADS.getThreadAllocatedBytes(threadId);
            final long measuringCost = before - calibrationStart;
            final long after;
            final long conditionalRounds = runOperations(cache, key, value, destination, meta, 200_000);
            after = THREADS.getThreadAllocatedBytes(threadId);
            assertTrue(conditionalRounds > 1_000, "conditional writes that succeeded: " + conditionalRounds);
            assertTrue(cache.stats().evictions() > evictionsBefore, "the measured run must include evictions");
            assertEquals(0, after - before - measuringCost, "bytes allocated by 200,000 rounds of operations");
        }
    }

    /** @return rounds in which replace, compareAndSet and remove(key, version) all succeeded. */
    private static long runOperations(
        final FerriteCache cache,
        final UnsafeBuffer key,
        final UnsafeBuffer value,
        final UnsafeBuffer destination,
        final EntryMeta meta,
        final int rounds)
    {
        long conditionalRounds = 0;
        for (int i = 0; i < rounds; i++)
        {
            key.putLong(0, i);
            key.putLong(8, i * 31L);
            value.putInt(0, i);
            cache.put(key, 0, 16, value, 0, 100, 0);
            cache.get(key, 0, 16, destination, 0, meta);
            key.putLong(0, i / 2);
            cache.get(key, 0, 16, destination, 0, meta);
            cache.putIfAbsent(key, 0, 16, value, 0, 100, 0);
            cache.containsKey(key, 0, 16);
            if ((i & 7) == 0)
            {
                cache.touch(key, 0, 16, 0);
                cache.remove(key, 0, 16);
            }
            else if ((i & 7) == 4)
            {
                // The conditional writes: each once as it succeeds and once as it is refused.
                final long replaced = cache.replace(key, 0, 16, value, 0, 100, 0);
                if (replaced > 0)
                {
                    final long swapped = cache.compareAndSet(key, 0, 16, value, 0, 100, 0, replaced);
                    cache.compareAndSet(key, 0, 16, value, 0, 100, 0, replaced);
                    cache.remove(key, 0, 16, replaced);
                    if (swapped > 0 && cache.remove(key, 0, 16, swapped) > 0)
                    {
                        conditionalRounds++;
                    }
                }
            }
        }
        return conditionalRounds;
    }
}
