package dev.ferrite.engine;

import dev.ferrite.engine.log.OffHeapMemory;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cache takes its whole budget from the system once, within the budget, never more while it runs,
 * and gives all of it back on close. Measured by the engine's count of native bytes allocated and
 * not yet freed ({@link OffHeapMemory#liveBytes()}), which moves only with the real
 * allocate and free calls.
 */
class CloseFreesMemoryTest
{
    static List<CacheMatrix.Case> cases()
    {
        return CacheMatrix.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldAllocateOnceWithinTheBudgetAndFreeEverythingOnClose(final CacheMatrix.Case matrixCase)
    {
        final long before = OffHeapMemory.liveBytes();
        final CachedEpochClock clock = CacheMatrix.clock();
        final FerriteCache cache = matrixCase.create(clock);
        final long held = OffHeapMemory.liveBytes() - before;
        assertTrue(held > 0 && held <= matrixCase.capacityBytes(), "allocated " + held + " for a budget of " + matrixCase.capacityBytes());
        assertEquals(held, cache.stats().allocatedBytes());

        // Fill it past its budget: eviction or FULL, never another allocation.
        final UnsafeBuffer value = new UnsafeBuffer(new byte[Math.min(matrixCase.valueBytes(), 64 * 1024)]);
        final UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
        long refused = 0;
        final long writes = 4 * matrixCase.capacityBytes() / (value.capacity() + 64);
        for (long i = 0; i < writes && refused < 100; i++)
        {
            key.putLong(0, i);
            refused += cache.put(key, 0, 8, value, 0, value.capacity(), 0) == Status.FULL ? 1 : 0;
        }
        final CacheStats stats = cache.stats();
        assertTrue(matrixCase.eviction() ? stats.evictions() > 0 : refused > 0, "the budget was never reached: " + stats);
        assertEquals(held, OffHeapMemory.liveBytes() - before, "the cache allocated while it filled");

        cache.close();
        assertEquals(before, OffHeapMemory.liveBytes(), "bytes still held after close");
    }

    @Test
    void shouldHoldNothingAfterManyCachesOpenAndClose()
    {
        final long before = OffHeapMemory.liveBytes();
        for (int i = 0; i < 40; i++)
        {
            try (FerriteCache cache = FerriteCache.create(new CacheConfig().capacityBytes(64L << 20).shards(i % 2 == 0 ? 1 : 4)))
            {
                cache.put("k".getBytes(StandardCharsets.US_ASCII), new byte[1000]);
                assertTrue(OffHeapMemory.liveBytes() - before > 0);
            }
            assertEquals(before, OffHeapMemory.liveBytes(), "after cache " + i);
        }
    }
}
