package dev.ferrite.engine;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reclaiming ahead of writes ({@link ReclaimAgent}): once the agent has made room, writes that fit
 * in that room reclaim nothing themselves; the background thread that
 * {@link CacheConfig#reclaimAheadSegments(int)} starts loses no write and stops on close.
 */
class ReclaimAgentTest
{
    private static final int SEGMENT_BYTES = 64 * 1024;
    private static final int VALUE_BYTES = 200;
    /** About twice what the store holds: the log laps and evicts. */
    private static final int KEYS = 30_000;
    private static final int COLD_KEYS = 200;

    @Test
    void shouldLeaveRoomSoThatWritesDoNotReclaimThemselves()
    {
        try (FerriteCache cache = FerriteCache.create(evictingConfig()))
        {
            fill(cache);
            final ReclaimAgent agent = cache.newReclaimAgent(3);
            int cycles = 0;
            while (agent.doWork() > 0)
            {
                assertTrue(++cycles < 10_000, "the agent never reached its goal");
            }
            assertTrue(cycles > 0, "a full store must need reclaiming ahead");

            final CacheStats before = cache.stats();
            writeTwoSegmentsOfRecords(cache);
            final CacheStats after = cache.stats();
            assertEquals(before.evictions(), after.evictions(), "writes evicted: " + after);
            assertEquals(before.relocations(), after.relocations(), "writes relocated: " + after);
        }
    }

    /** The control for the test above: without the agent, the same writes reclaim for themselves. */
    @Test
    void shouldReclaimInlineWithoutTheAgent()
    {
        try (FerriteCache cache = FerriteCache.create(evictingConfig()))
        {
            fill(cache);
            final CacheStats before = cache.stats();
            writeTwoSegmentsOfRecords(cache);
            final CacheStats after = cache.stats();
            assertTrue(after.evictions() + after.relocations() > before.evictions() + before.relocations(),
                "writes into a full store must reclaim: " + after);
        }
    }

    /**
     * Below the eviction pressure reclaim only compacts, and live data may leave less room than the
     * agent asks for: then it must do nothing rather than copy live records round and round (found
     * by review: 12 segments copied in 3 seconds on a cache nobody used, clearing reference bits).
     */
    @Test
    void shouldStayQuietWhenLiveDataLeavesLessRoomThanAskedFor() throws Exception
    {
        final int count = evictingConfig().conclude().segmentCount();
        final int ahead = count / 4; // the most the config allows
        try (FerriteCache cache = FerriteCache.create(evictingConfig()))
        {
            final int recordBytes = 32 + key(0, 0).length + VALUE_BYTES;
            final int perSegment = SEGMENT_BYTES / recordBytes;
            // 78% of the usable log: below the 85% pressure, so nothing is evicted, and more than the
            // log less the segments asked for can hold once compacted.
            final int keys = (int)((count - 3) * 0.78 * perSegment);
            for (int i = 0; i < keys; i++)
            {
                assertTrue(cache.put(key(0, i), value(0, i, 0)) > 0);
            }
            final ReclaimAgent agent = cache.newReclaimAgent(ahead);
            runFor(agent, 300); // whatever it can do
            final CacheStats before = cache.stats();
            runFor(agent, 600);
            final CacheStats after = cache.stats();
            assertEquals(0, after.evictions(), "below the pressure nothing is evicted: " + after);
            assertEquals(before.relocations(), after.relocations(), "the agent copied live records on an idle cache: " + after);
        }
    }

    /**
     * Records that pack badly (three of 17,696 bytes to a 64 KiB segment, 19% of each left as
     * filler) whose footprint leaves less room than asked for, below the eviction pressure: each
     * reclaim leaves the same filler again at the tail, so it gains nothing, and the agent must see
     * that and stop until something is written (found by review: it copied every key about 1,800
     * times in 600 ms on a cache nobody touched, when it counted only the records' bytes).
     */
    @Test
    void shouldStayQuietWhenBadlyPackedRecordsLeaveLessRoomThanAskedFor() throws Exception
    {
        final int recordBytes = 17_696;
        final int valueBytes = recordBytes - 32 - key(0, 0).length - 3; // aligned up to recordBytes
        final CacheConfig config = evictingConfig();
        final int count = config.conclude().segmentCount();
        final int ahead = 2;
        try (FerriteCache cache = FerriteCache.create(config))
        {
            // A footprint of one segment more than the log less (reserved + ahead + the tail's) holds.
            final int keys = 3 * (count - CacheConfig.RESERVED_SEGMENTS - ahead + 1);
            final byte[] value = new byte[valueBytes];
            for (int i = 0; i < keys; i++)
            {
                assertTrue(cache.put(key(0, i), value) > 0);
            }
            final ReclaimAgent agent = cache.newReclaimAgent(ahead);
            runFor(agent, 300);
            final CacheStats before = cache.stats();
            runFor(agent, 600);
            final CacheStats after = cache.stats();
            assertEquals(before.evictions(), after.evictions(), "below the pressure nothing is evicted: " + after);
            assertEquals(before.relocations(), after.relocations(),
                "the agent copied live records on an idle cache: " + (after.relocations() - before.relocations()) + " copies");
        }
    }

    @Test
    void shouldDoNothingOnAStoreWithRoomOrAfterClose()
    {
        final FerriteCache cache = FerriteCache.create(evictingConfig());
        final ReclaimAgent agent = cache.newReclaimAgent(2);
        assertEquals(0, agent.doWork());
        fill(cache);
        cache.close();
        assertEquals(0, agent.doWork());
    }

    @Test
    void shouldRefuseSettingsOutOfRange()
    {
        assertThrows(IllegalArgumentException.class, () -> evictingConfig().reclaimAheadSegments(-1).conclude());
        final CacheConfig concluded = evictingConfig().conclude();
        final int quarter = concluded.segmentCount() / 4;
        assertThrows(IllegalArgumentException.class, () -> evictingConfig().reclaimAheadSegments(quarter + 1).conclude());
        evictingConfig().reclaimAheadSegments(quarter).conclude();
        try (FerriteCache cache = FerriteCache.create(evictingConfig()))
        {
            assertThrows(IllegalArgumentException.class, () -> cache.newReclaimAgent(0));
        }
    }

    /**
     * Eviction off, so every write must stay readable: two writers overwrite their keys many laps
     * over while the background thread compacts ahead of them.
     */
    @Test
    void shouldLoseNoWriteWithTheBackgroundThread() throws Exception
    {
        final CacheConfig config = new CacheConfig().capacityBytes(4 << 20).segmentBytes(SEGMENT_BYTES)
            .evictionEnabled(false).reclaimAheadSegments(3);
        final int keysPerWriter = 2_000;
        final int rounds = 40;
        final FerriteCache cache = FerriteCache.create(config);
        try
        {
            assertTrue(reclaimThreadAlive(), "no " + FerriteCache.RECLAIM_THREAD_NAME + " thread");
            // Keys written once and never again: every lap must carry them forward. Without them a
            // lap could free only superseded records and relocate nothing (each round rewrites every
            // other key within a lap), and the lap check below failed in about one run in eight.
            for (int k = 0; k < COLD_KEYS; k++)
            {
                assertTrue(cache.put(key(9, k), value(9, k, 0)) > 0);
            }
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Thread[] writers = new Thread[2];
            for (int w = 0; w < writers.length; w++)
            {
                final int writer = w;
                writers[w] = new Thread(() ->
                {
                    try
                    {
                        for (int round = 0; round < rounds; round++)
                        {
                            for (int k = 0; k < keysPerWriter; k++)
                            {
                                final long version = cache.put(key(writer, k), value(writer, k, round));
                                if (version < 0)
                                {
                                    throw new AssertionError("put refused with status " + version + " in round " + round);
                                }
                            }
                        }
                    }
                    catch (final Throwable t)
                    {
                        failure.compareAndSet(null, t);
                    }
                });
                writers[w].start();
            }
            for (final Thread writer : writers)
            {
                writer.join();
            }
            assertNull(failure.get(), () -> "a writer failed: " + failure.get());
            for (int w = 0; w < writers.length; w++)
            {
                for (int k = 0; k < keysPerWriter; k++)
                {
                    assertArrayEquals(value(w, k, rounds - 1), cache.get(key(w, k)), "writer " + w + " key " + k);
                }
            }
            for (int k = 0; k < COLD_KEYS; k++)
            {
                assertArrayEquals(value(9, k, 0), cache.get(key(9, k)), "cold key " + k);
            }
            assertTrue(cache.stats().relocations() > 0, "the log must have lapped: " + cache.stats());
        }
        finally
        {
            cache.close();
        }
        assertFalse(reclaimThreadAlive(), "close must stop the reclaim thread");
    }

    /**
     * One agent serves every shard: after it made room, writes spread over four shards reclaim
     * nothing in any of them, where without it the same writes do.
     */
    @Test
    void shouldLeaveRoomInEveryShard()
    {
        for (final boolean withAgent : new boolean[]{false, true})
        {
            final CacheConfig config = new CacheConfig().capacityBytes(4 * (4 << 20)).segmentBytes(SEGMENT_BYTES)
                .maxValueLength(1024).evictionEnabled(true).shards(4);
            try (FerriteCache cache = FerriteCache.create(config))
            {
                for (int i = 0; i < 4 * KEYS; i++)
                {
                    assertTrue(cache.put(key(0, i), value(0, i, 0)) > 0);
                }
                if (withAgent)
                {
                    final ReclaimAgent agent = cache.newReclaimAgent(3);
                    int cycles = 0;
                    while (agent.doWork() > 0)
                    {
                        assertTrue(++cycles < 10_000, "the agent never reached its goal");
                    }
                }
                final CacheStats before = cache.stats();
                // About one segment of fresh records per shard (a hash split: a few percent either way).
                final int recordBytes = 32 + key(1, 0).length + VALUE_BYTES + 8;
                for (int i = 0, n = 4 * SEGMENT_BYTES / recordBytes; i < n; i++)
                {
                    assertTrue(cache.put(key(1, i), value(1, i, 0)) > 0);
                }
                final CacheStats after = cache.stats();
                final long reclaimedRecords = after.evictions() + after.relocations() - before.evictions() - before.relocations();
                if (withAgent)
                {
                    assertEquals(0, reclaimedRecords, "writes reclaimed: " + after);
                }
                else
                {
                    assertTrue(reclaimedRecords > 0, "writes into full shards must reclaim: " + after);
                }
            }
        }
    }

    /** Calls the agent as an idle runner would: often, with short sleeps between calls. */
    private static void runFor(final ReclaimAgent agent, final long millis) throws InterruptedException
    {
        final long deadline = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < deadline)
        {
            if (agent.doWork() == 0)
            {
                Thread.sleep(1);
            }
        }
    }

    private static CacheConfig evictingConfig()
    {
        return new CacheConfig().capacityBytes(4 << 20).segmentBytes(SEGMENT_BYTES).evictionEnabled(true);
    }

    private static void fill(final FerriteCache cache)
    {
        for (int i = 0; i < KEYS; i++)
        {
            assertTrue(cache.put(key(0, i), value(0, i, 0)) > 0);
        }
    }

    /** Fresh keys: each put appends a record, and none replaces one. */
    private static void writeTwoSegmentsOfRecords(final FerriteCache cache)
    {
        final int recordBytes = 32 + key(1, 0).length + VALUE_BYTES + 8;
        for (int i = 0, n = 2 * SEGMENT_BYTES / recordBytes - 8; i < n; i++)
        {
            assertTrue(cache.put(key(1, i), value(1, i, 0)) > 0);
        }
    }

    private static byte[] key(final int writer, final int k)
    {
        return String.format("w%d-key-%06d", writer, k).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] value(final int writer, final int k, final int round)
    {
        final byte[] value = new byte[VALUE_BYTES];
        Arrays.fill(value, (byte)(writer * 31 + k * 7 + round));
        value[0] = (byte)round;
        value[1] = (byte)k;
        return value;
    }

    private static boolean reclaimThreadAlive() throws InterruptedException
    {
        for (int i = 0; i < 100; i++)
        {
            final boolean alive = Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(FerriteCache.RECLAIM_THREAD_NAME) && t.isAlive());
            if (alive)
            {
                return true;
            }
            Thread.sleep(10); // the runner starts its thread asynchronously
        }
        return false;
    }
}
