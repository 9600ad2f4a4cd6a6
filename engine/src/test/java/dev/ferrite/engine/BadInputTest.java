package dev.ferrite.engine;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Bad input gets a clear error or status and loses nothing. */
class BadInputTest
{
    private static FerriteCache smallLimits()
    {
        return FerriteCache.create(new CacheConfig().capacityBytes(4 << 20).maxKeyLength(16).maxValueLength(64));
    }

    @Test
    void shouldRejectNullKeysAndValuesWithNullPointerException()
    {
        try (FerriteCache cache = smallLimits())
        {
            assertThrows(NullPointerException.class, () -> cache.get((byte[])null));
            assertThrows(NullPointerException.class, () -> cache.put(null, new byte[1]));
            assertThrows(NullPointerException.class, () -> cache.put(new byte[1], null));
            assertThrows(NullPointerException.class, () -> cache.remove((byte[])null));
            assertThrows(NullPointerException.class, () -> cache.get(null, 0, 1, new UnsafeBuffer(new byte[8]), 0, null));
        }
    }

    @Test
    void shouldRejectOversizedKeysAndValuesAndKeepTheOldValue()
    {
        try (FerriteCache cache = smallLimits())
        {
            cache.put("k".getBytes(), "old".getBytes());
            final IllegalArgumentException keyError =
                assertThrows(IllegalArgumentException.class, () -> cache.put(new byte[17], new byte[1]));
            assertTrue(keyError.getMessage().contains("maxKeyLength=16"), keyError.getMessage());
            final IllegalArgumentException valueError =
                assertThrows(IllegalArgumentException.class, () -> cache.put("k".getBytes(), new byte[65]));
            assertTrue(valueError.getMessage().contains("maxValueLength=64"), valueError.getMessage());
            assertArrayEquals("old".getBytes(), cache.get("k".getBytes()), "a refused write loses nothing");

            final UnsafeBuffer bigKey = new UnsafeBuffer(new byte[17]);
            final UnsafeBuffer bigValue = new UnsafeBuffer(new byte[65]);
            final UnsafeBuffer key = new UnsafeBuffer("k".getBytes());
            assertEquals(Status.KEY_TOO_LARGE, cache.put(bigKey, 0, 17, bigValue, 0, 1, 0));
            assertEquals(Status.VALUE_TOO_LARGE, cache.put(key, 0, 1, bigValue, 0, 65, 0));
            assertEquals(Status.KEY_TOO_LARGE, cache.get(bigKey, 0, 17, bigValue, 0, null));
            assertEquals(Status.MISS, cache.remove(bigKey, 0, 17));
            assertArrayEquals("old".getBytes(), cache.get("k".getBytes()));
        }
    }

    @Test
    void shouldRejectOffsetsOutsideTheCallersBuffer()
    {
        try (FerriteCache cache = smallLimits())
        {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[4]);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[4]);
            assertThrows(IndexOutOfBoundsException.class, () -> cache.put(key, 2, 4, value, 0, 4, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> cache.put(key, 0, 4, value, 3, 4, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> cache.put(key, -1, 4, value, 0, 4, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> cache.get(key, 0, 5, value, 0, null));
            // Not BUFFER_TOO_SMALL, which tells a caller to grow its buffer and retry, for ever here.
            cache.put(key, 0, 4, value, 0, 4, 0);
            assertThrows(IndexOutOfBoundsException.class, () -> cache.get(key, 0, 4, value, -1, null));
        }
    }

    /** A scan's start is checked against the index before it narrows to an int (2^32 wrapped to slot 0, 2^32 - 2^28 to a negative offset). */
    @Test
    void shouldRejectAScanStartingPastTheIndex()
    {
        try (FerriteCache cache = smallLimits())
        {
            cache.put("k".getBytes(), "v".getBytes());
            final EntryVisitor visitor = (k, ko, kl, v, vo, vl, ver, exp) -> true;
            final long slots = cache.indexSlotCount();
            assertEquals(slots, cache.scan(slots, Long.MAX_VALUE, visitor), "the end of the index is a valid, empty range");
            assertThrows(IllegalArgumentException.class, () -> cache.scan(slots + 1, Long.MAX_VALUE, visitor));
            assertThrows(IllegalArgumentException.class, () -> cache.scan(1L << 32, Long.MAX_VALUE, visitor));
            assertThrows(IllegalArgumentException.class, () -> cache.scan((1L << 32) - (1L << 28), Long.MAX_VALUE, visitor));
        }
    }

    /**
     * Two threads closing at once used to both pass a plain closed check and free the memory twice:
     * glibc aborted the JVM within a few thousand rounds (found by review). A regression kills the
     * test's forked JVM.
     */
    @Test
    void shouldFreeTheMemoryOnceWhenTwoThreadsCloseAtOnce() throws Exception
    {
        final int rounds = 20_000;
        final java.util.concurrent.atomic.AtomicReference<FerriteCache> current = new java.util.concurrent.atomic.AtomicReference<>();
        final java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger closed = new java.util.concurrent.atomic.AtomicInteger();
        final Thread other = new Thread(() ->
        {
            for (int round = 1; round <= rounds; round++)
            {
                while (started.get() < round)
                {
                    Thread.onSpinWait();
                }
                current.get().close();
                closed.incrementAndGet();
            }
        }, "second-closer");
        other.setDaemon(true);
        other.start();
        for (int round = 1; round <= rounds; round++)
        {
            current.set(FerriteCache.create(new CacheConfig().capacityBytes(256 << 10).evictionEnabled(false)));
            started.set(round);
            current.get().close();
            final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (closed.get() < round)
            {
                assertTrue(System.nanoTime() < deadline, "the second closer is stuck in round " + round);
                Thread.onSpinWait();
            }
            assertTrue(current.get().isClosed());
        }
        other.join();
    }

    @Test
    void shouldRejectNegativeExpiry()
    {
        try (FerriteCache cache = smallLimits())
        {
            assertThrows(IllegalArgumentException.class, () -> cache.put("k".getBytes(), new byte[1], -1));
            assertThrows(IllegalArgumentException.class, () -> cache.touch("k".getBytes(), -5));
            final UnsafeBuffer key = new UnsafeBuffer("k".getBytes());
            assertEquals(Status.INVALID_TTL, cache.put(key, 0, 1, key, 0, 1, -1));
            assertNull(cache.get("k".getBytes()));
        }
    }

    @Test
    void shouldThrowIllegalStateAfterCloseAndAllowClosingTwice()
    {
        final FerriteCache cache = smallLimits();
        cache.put("k".getBytes(), "v".getBytes());
        cache.close();
        cache.close();
        assertTrue(cache.isClosed());
        final IllegalStateException error = assertThrows(IllegalStateException.class, () -> cache.get("k".getBytes()));
        assertTrue(error.getMessage().contains("closed"));
        assertThrows(IllegalStateException.class, () -> cache.put("k".getBytes(), "v".getBytes()));
        assertThrows(IllegalStateException.class, () -> cache.remove("k".getBytes()));
        assertThrows(IllegalStateException.class, cache::stats);
        assertThrows(IllegalStateException.class, cache::size);
        assertThrows(IllegalStateException.class, () -> cache.scan((k, ko, kl, v, vo, vl, ver, exp) -> true));
    }

    @Test
    void shouldRejectImpossibleConfigurationsByName()
    {
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> new CacheConfig().capacityBytes(1000).conclude()).getMessage().contains("capacityBytes=1000"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> new CacheConfig().maxKeyLength(0).conclude()).getMessage().contains("maxKeyLength=0"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> new CacheConfig().segmentBytes(5000).conclude()).getMessage().contains("segmentBytes=5000"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> new CacheConfig().maxValueLength(-1).conclude()).getMessage().contains("maxValueLength=-1"));
        // Refused by the configuration, not by the store after it has allocated the whole budget.
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> new CacheConfig().capacityBytes(6_600_000_000L).indexSlots(CacheConfig.MAX_INDEX_SLOTS + 1).conclude())
            .getMessage().contains("indexSlots="));
        // One store's limits: a store in shards has them per shard.
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> new CacheConfig().capacityBytes(256L << 30).segmentBytes(4096).shards(1).conclude())
            .getMessage().contains("choose larger segments"));
        assertTrue(new CacheConfig().capacityBytes(256L << 30).segmentBytes(4096).shards(4).conclude().segmentCount() >
            CacheConfig.MAX_SEGMENTS);
        final CacheConfig huge = new CacheConfig().capacityBytes(48L << 30).shards(1).conclude(); // derived slots capped, not refused
        assertEquals(CacheConfig.MAX_INDEX_SLOTS, huge.indexSlots());
        assertTrue(new CacheConfig().capacityBytes(48L << 30).shards(2).conclude().indexSlots() > CacheConfig.MAX_INDEX_SLOTS);
        // Each within its own limit, but together too large for the filler that may cover a segment's end.
        final int largestValue = dev.ferrite.engine.log.RecordDescriptor.MAX_VALUE_LENGTH;
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> new CacheConfig().capacityBytes(8L << 30).maxKeyLength(131_071).maxValueLength(largestValue).conclude())
            .getMessage().contains("make records of up to"));
    }

    @Test
    void shouldRefuseARecordLargerThanASegmentWithAStatus()
    {
        try (FerriteCache cache = FerriteCache.create(new CacheConfig().capacityBytes(1 << 20)))
        {
            final int segment = cache.config().segmentBytes();
            final UnsafeBuffer key = new UnsafeBuffer("k".getBytes());
            final UnsafeBuffer value = new UnsafeBuffer(new byte[segment]);
            assertEquals(Status.VALUE_TOO_LARGE, cache.put(key, 0, 1, value, 0, segment, 0));
            assertThrows(IllegalArgumentException.class, () -> cache.put("k".getBytes(), new byte[segment]));
        }
    }

    @Test
    void shouldReturnFullWithoutLosingDataWhenEvictionIsOff()
    {
        try (FerriteCache cache = FerriteCache.create(new CacheConfig().capacityBytes(1 << 20).evictionEnabled(false)))
        {
            final byte[] value = new byte[1000];
            int stored = 0;
            final UnsafeBuffer valueBuffer = new UnsafeBuffer(value);
            while (true)
            {
                final UnsafeBuffer key = new UnsafeBuffer(("key" + stored).getBytes());
                final long result = cache.put(key, 0, key.capacity(), valueBuffer, 0, value.length, 0);
                if (result == Status.FULL)
                {
                    break;
                }
                assertTrue(result > 0, Status.describe(result));
                stored++;
                assertTrue(stored < 2000, "a 1 MiB store cannot hold 2000 KB");
            }
            assertTrue(stored > 500, "most of the budget holds data: stored " + stored);
            assertThrows(IllegalStateException.class, () -> cache.put("more".getBytes(), value));
            for (int i = 0; i < stored; i++)
            {
                assertNotNull(cache.get(("key" + i).getBytes()), "key" + i + " lost");
            }
            assertEquals(stored, cache.size());
            assertEquals(0, cache.stats().evictions());
            // Freeing space makes writes fit again.
            for (int i = 0; i < stored / 2; i++)
            {
                cache.remove(("key" + i).getBytes());
            }
            assertTrue(cache.put("more".getBytes(), value) > 0);
        }
    }
}
