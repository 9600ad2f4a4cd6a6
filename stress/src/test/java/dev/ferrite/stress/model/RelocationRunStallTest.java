package dev.ferrite.stress.model;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.CacheStats;
import dev.ferrite.engine.FerriteCache;
import dev.ferrite.engine.core.StallInjection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reclaim helper stalled between two copies of its relocation run (see {@code RelocationRun}) holds
 * unwritten room in the middle of a segment, with other threads' records behind it. When the log
 * laps and that segment is reclaimed, no record behind the room may be lost: the walk must stop at
 * the room (announced like a stalled writer's record) and find those records through the index.
 * Played deterministically with {@link StallInjection}:
 * <pre>
 *   helper H: overwrites one key; reclaiming, it copies a tracked record from a run and stops
 *             between that copy and the next, its run's room announced
 *   writer F: overwrites a few churn keys for several laps of the log, so that the segment of H's
 *             run is reclaimed (forced, past H) while H is stopped, and tracked records F relocated
 *             sit behind H's room
 *   then:     every tracked key is still there; H goes on, closes its run, and every key still is
 * </pre>
 * Live data stays far under the eviction pressure, so nothing may be evicted. With the run's room
 * left unannounced between copies, the walk took the unwritten word for the segment's end and the
 * tracked keys behind it went missing, uncounted.
 */
@EnabledIfSystemProperty(named = StallInjection.ENABLED_PROP_NAME, matches = "true") // the stall-injection execution only
class RelocationRunStallTest
{
    private static final int TRACKED_KEYS = 100;
    private static final int CHURN_KEYS = 20;
    private static final int CAPACITY_BYTES = 128 << 10;
    /** Enough writes for the log to lap several times past the stopped helper. */
    private static final int CHURN_WRITES = 8 * CAPACITY_BYTES / 64;
    private static final long WAIT_MS = 10_000;

    private volatile Thread helper;
    private volatile boolean helperStopped;
    private volatile boolean helperReleased;

    @AfterEach
    void removePlan()
    {
        StallInjection.install(null);
    }

    @Test
    void shouldLoseNoRecordBehindTheRunOfAHelperStalledBetweenCopies() throws Exception
    {
        assertTrue(StallInjection.ENABLED, "run with -D" + StallInjection.ENABLED_PROP_NAME + "=true (stress/pom.xml sets it)");
        try (FerriteCache cache = FerriteCache.create(
            new CacheConfig().capacityBytes(CAPACITY_BYTES).segmentBytes(4096).evictionEnabled(true).hashSeed(42)))
        {
            for (int i = 0; i < TRACKED_KEYS; i++)
            {
                assertTrue(cache.put(key("tracked", i), value(i)) > 0);
            }
            StallInjection.install(this::reached);
            final java.util.Queue<String> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
            helper = new Thread(() ->
            {
                final byte[] key = key("helper", 0);
                for (int i = 0; !helperReleased; i++)
                {
                    if (cache.put(key, value(i)) <= 0)
                    {
                        failures.add("helper's put refused");
                        return;
                    }
                }
            }, "helper");
            helper.start();
            awaitFlag(() -> helperStopped || !helper.isAlive(), "the helper never stopped between two copies of a run");
            assertTrue(helperStopped, "the helper ended before it stopped: " + failures);

            for (int i = 0; i < CHURN_WRITES; i++)
            {
                assertTrue(cache.put(key("churn", i % CHURN_KEYS), value(i)) > 0, "churn write " + i + " refused");
            }
            final CacheStats whileStopped = cache.stats();
            assertTrue(whileStopped.relocations() > 4L * TRACKED_KEYS, "the log must lap several times: " + whileStopped);
            assertEquals(List.of(), missingTracked(cache), "tracked keys lost while the helper was stopped: " + whileStopped);

            helperReleased = true;
            helper.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(helper.isAlive(), "the helper did not end");
            assertTrue(failures.isEmpty(), failures::toString);
            for (int i = 0; i < CHURN_WRITES / 4; i++)
            {
                assertTrue(cache.put(key("churn", i % CHURN_KEYS), value(i)) > 0, "churn write " + i + " refused after the helper left");
            }
            final CacheStats after = cache.stats();
            assertEquals(List.of(), missingTracked(cache), "tracked keys lost after the helper went on: " + after);
            assertEquals(0, after.evictions(), "nothing may be evicted far below the pressure: " + after);
            assertEquals(TRACKED_KEYS + CHURN_KEYS + 1, after.entries(), "entries: " + after);
        }
    }

    private void reached(final int point)
    {
        if (Thread.currentThread() == helper && point == StallInjection.RELOCATION_RUN_BETWEEN_COPIES && !helperStopped)
        {
            helperStopped = true;
            awaitFlag(() -> helperReleased, "the helper was never released");
        }
    }

    private static List<Integer> missingTracked(final FerriteCache cache)
    {
        final List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < TRACKED_KEYS; i++)
        {
            final byte[] value = cache.get(key("tracked", i));
            if (value == null || value[0] != (byte)i)
            {
                missing.add(i);
            }
        }
        return missing;
    }

    private static void awaitFlag(final java.util.function.BooleanSupplier flag, final String timeoutMessage)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (!flag.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError(timeoutMessage);
            }
            Thread.yield();
        }
    }

    private static byte[] key(final String kind, final int i)
    {
        return String.format("%-8s%08d", kind, i).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] value(final int i)
    {
        final byte[] value = new byte[40];
        value[0] = (byte)i;
        return value;
    }
}
