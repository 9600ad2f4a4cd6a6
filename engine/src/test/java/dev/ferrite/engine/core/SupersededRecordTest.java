package dev.ferrite.engine.core;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.CacheStats;
import dev.ferrite.engine.EntryMeta;
import dev.ferrite.engine.FerriteCache;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Reclaim copies a record without walking its key's chain when the record is not flagged
 * superseded (RecordDescriptor's S bit). Every operation that replaces a version must flag it
 * before linking the new one, and every record abandoned unlinked must be flagged: a record
 * missed here would be copied back over its key's newer version when its segment is reclaimed
 * (an old value reappears, a removed key comes back, a touch is undone). Each test replaces or
 * abandons versions, then wraps the log several times with overwrites of other keys, and checks
 * that what survived is the newest version. A store of 16 index slots puts most records under
 * another key's newer record, where the chain walk would otherwise have caught the mistake; the
 * hash seed is fixed so the same records share slots in every run.
 *
 * <p>Abandoned records come only from races here (two putIfAbsent on one key), so that test
 * catches a missing flag on abandoned records in some runs only (a review measured 3-11 in 30).
 */
class SupersededRecordTest
{
    private static final int FILLER_KEYS = 64;
    private static final int WRAP_WRITES = 40_000;

    private static FerriteCache store(final boolean eviction)
    {
        // ~64 KiB of log, live data far below the 85% pressure mark: with eviction on, nothing is
        // evicted either, so every live record must survive, and only as its newest version.
        return FerriteCache.create(new CacheConfig().capacityBytes(96 << 10).segmentBytes(4096)
            .indexSlots(16).hashSeed(0x5EED_F1DE_117AL).evictionEnabled(eviction));
    }

    @ParameterizedTest(name = "eviction={0}")
    @ValueSource(booleans = {false, true})
    void everyReplacedVersionStaysReplacedThroughReclaim(final boolean eviction)
    {
        try (FerriteCache cache = store(eviction))
        {
            assertTrue(cache.put(bytes("put"), bytes("old")) > 0);
            assertTrue(cache.put(bytes("put"), bytes("new")) > 0);

            assertTrue(cache.put(bytes("replace"), bytes("old")) > 0);
            assertTrue(cache.replace(bytes("replace"), bytes("new"), 0) > 0);

            final long version = cache.put(bytes("cas"), bytes("old"));
            assertTrue(cache.compareAndSet(bytes("cas"), bytes("new"), 0, version) > 0);

            // Removed while it is its slot's head with nothing older behind: unlinked.
            assertTrue(cache.put(bytes("unlinked"), bytes("old")) > 0);
            assertTrue(cache.remove(bytes("unlinked")) > 0);

            // Removed under other keys' newer records: a tombstone.
            assertTrue(cache.put(bytes("tombstoned"), bytes("old")) > 0);
            wrapWrites(cache, FILLER_KEYS);
            assertTrue(cache.remove(bytes("tombstoned")) > 0);

            // Written, buried under other keys' records, written again (the old version stays in the
            // chain behind the new one), then removed: an older version hides behind, so a tombstone.
            assertTrue(cache.put(bytes("twice"), bytes("old")) > 0);
            wrapWrites(cache, FILLER_KEYS);
            assertTrue(cache.put(bytes("twice"), bytes("newer")) > 0);
            assertTrue(cache.remove(bytes("twice")) > 0);

            final long farFuture = System.currentTimeMillis() + 3_600_000;
            final long nearerFuture = farFuture - 1_000;
            assertTrue(cache.put(bytes("touched"), bytes("value"), nearerFuture) > 0);
            assertTrue(cache.touch(bytes("touched"), farFuture) > 0);

            wrapWrites(cache, WRAP_WRITES);

            final CacheStats stats = cache.stats();
            assertEquals(0, stats.evictions(), "premise: nothing evicted " + stats);
            assertTrue(stats.relocations() > 40, "premise: the log wrapped many times, relocating the kept keys " + stats);
            assertEquals("new", string(cache.get(bytes("put"))));
            assertEquals("new", string(cache.get(bytes("replace"))));
            assertEquals("new", string(cache.get(bytes("cas"))));
            assertNull(cache.get(bytes("unlinked")));
            assertNull(cache.get(bytes("tombstoned")));
            assertNull(cache.get(bytes("twice")));
            final EntryMeta meta = new EntryMeta();
            assertEquals("value", string(cache.get(bytes("touched"), meta)));
            assertEquals(farFuture, meta.expiresAtMillis(), "the touch survived reclaim");
            for (int i = 0; i < FILLER_KEYS; i++)
            {
                assertEquals(fillerValue(i, WRAP_WRITES), string(cache.get(fillerKey(i))));
            }
            assertEquals(FILLER_KEYS + 4, cache.size());
        }
    }

    /**
     * Two threads race putIfAbsent on each key: the loser often wrote its record, found the key
     * present on the walk before linking, and abandoned the record. Abandoned records must never be
     * copied in over the winner.
     */
    @ParameterizedTest(name = "eviction={0}")
    @ValueSource(booleans = {false, true})
    void abandonedRecordsNeverReplaceTheWinner(final boolean eviction) throws Exception
    {
        final int keys = 640;
        try (FerriteCache cache = store(eviction))
        {
            final AtomicReferenceArray<String> winners = new AtomicReferenceArray<>(keys);
            final CyclicBarrier barrier = new CyclicBarrier(2);
            final Thread[] threads = new Thread[2];
            final Throwable[] failure = new Throwable[1];
            for (int t = 0; t < threads.length; t++)
            {
                final String name = t == 0 ? "a" : "b";
                threads[t] = new Thread(() ->
                {
                    try
                    {
                        for (int k = 0; k < keys; k++)
                        {
                            if (k % 64 == 0)
                            {
                                barrier.await(10, TimeUnit.SECONDS);
                            }
                            final String value = name + k;
                            if (cache.putIfAbsent(bytes("race" + k), bytes(value), 0) > 0)
                            {
                                assertTrue(winners.compareAndSet(k, null, value), "two winners for key " + k);
                            }
                        }
                    }
                    catch (final Throwable e)
                    {
                        if (failure[0] == null)
                        {
                            failure[0] = e;
                        }
                        barrier.reset();
                    }
                });
                threads[t].start();
            }
            for (final Thread thread : threads)
            {
                thread.join();
            }
            if (failure[0] != null)
            {
                throw new AssertionError("a racing thread failed", failure[0]);
            }

            // Keep only every 32nd key, so live data stays far below the pressure mark.
            for (int k = 0; k < keys; k++)
            {
                if (k % 32 != 0)
                {
                    assertTrue(cache.remove(bytes("race" + k)) > 0, "key " + k);
                }
            }
            wrapWrites(cache, WRAP_WRITES);

            assertEquals(0, cache.stats().evictions(), "premise: nothing evicted " + cache.stats());
            for (int k = 0; k < keys; k += 32)
            {
                assertNotNull(winners.get(k), "one putIfAbsent of key " + k + " won");
                assertEquals(winners.get(k), string(cache.get(bytes("race" + k))), "key " + k);
            }
        }
    }

    /** Overwrites the filler keys in turn, {@code writes} times in all: garbage that makes the log wrap. */
    private static void wrapWrites(final FerriteCache cache, final int writes)
    {
        for (int w = 1; w <= writes; w++)
        {
            final int i = w % FILLER_KEYS;
            assertTrue(cache.put(fillerKey(i), bytes(fillerValue(i, w))) > 0, "write " + w);
        }
    }

    /** The value filler key {@code i} holds after {@code writes} wrap writes. */
    private static String fillerValue(final int i, final int writes)
    {
        final int last = writes - Math.floorMod(writes - i, FILLER_KEYS);
        return "filler-" + i + "-" + last + "-" + "x".repeat(40);
    }

    private static byte[] fillerKey(final int i)
    {
        return bytes("filler" + i);
    }

    private static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(final byte[] b)
    {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
