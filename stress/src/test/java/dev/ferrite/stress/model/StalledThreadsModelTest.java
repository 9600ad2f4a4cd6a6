package dev.ferrite.stress.model;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.CacheStats;
import dev.ferrite.engine.FerriteCache;
import dev.ferrite.engine.core.StallInjection;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static dev.ferrite.stress.model.RandomizedModelTest.OWNED_KEYS_PER_THREAD;
import static dev.ferrite.stress.model.RandomizedModelTest.SHARED_KEYS;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lock-freedom claim under test: a thread descheduled anywhere inside an operation cannot stop
 * another thread from completing its own, nor make it lose or corrupt data. {@value #THREADS}
 * threads run the randomized model workload ({@link ModelWorker}: exact per-thread models, shared
 * keys) without pauses between rounds, while a {@link RandomStallPlan} puts up to
 * {@value #MAX_STALLED} of them to sleep at random {@link StallInjection} points (after a tail
 * allocation, before and after an index CAS, holding claimed records of the segment being reclaimed,
 * before finishing or reopening a segment, in the middle of a read) for 1-40 ms: many laps of these
 * small logs, so every stall the forced reclaim, the quarantine and the deferral exist for happens.
 *
 * <p>Checked: no write refused with FULL (with eviction on, or off with live data well under the
 * budget, only a stalled thread blocking the others could refuse one), every answer and the final
 * state against the model (eviction off: nothing lost; on: nothing stale, torn or resurrected),
 * statistics against what the workers did, and that every point aimed at was reached. With eviction
 * on, {@code entries} is not bounded from below: a known limit, see the eviction-on test.
 *
 * <p>Expiry: the workers' models read the clock without a barrier, so it moves only while they all
 * wait between rounds: every {@value #TICK_INTERVAL_MS} ms of wall time they meet (a stalled worker
 * arrives once its operation ends) and the clock moves one tick. 30% of writes expire one to three
 * ticks on, so expired records are read, touched, overwritten and dropped by reclaims that run past
 * stalled threads; a tick never falls inside an operation, stalled or not.
 *
 * <p>Needs {@code -Dferrite.stallInjection=true}: the stress module's surefire runs it in an execution
 * of its own that sets it (and the default execution skips it). Runs
 * {@value #CI_SECONDS} s per configuration; {@code -Dferrite.stress.stallSeconds=N} runs longer,
 * {@code -Dferrite.stress.seed=S} fixes the seeds.
 */
@EnabledIfSystemProperty(named = StallInjection.ENABLED_PROP_NAME, matches = "true") // the other surefire executions skip it
class StalledThreadsModelTest
{
    static final int THREADS = RandomizedModelTest.THREADS;
    static final int MAX_STALLED = 2;
    static final long CI_SECONDS = 4;
    /** How many more durations a run may go on for, until every point aimed at was stalled at. */
    static final int EXTRA_RUNS_FOR_COVERAGE = 2;
    static final int OPERATIONS_PER_ROUND = 200;
    /** Wall time between clock ticks: a few ticks per second, each many laps of these small logs. */
    static final long TICK_INTERVAL_MS = 100;
    private static final long START_MILLIS = 1_000_000;

    @Test
    void shouldNeverRefuseOrLoseAWriteWhileThreadsStallWithEvictionOff() throws Exception
    {
        // ~200 KiB live in 512 KiB: a lap every few thousand writes, and each must carry the live keys on.
        run(new CacheConfig().capacityBytes(512 << 10).segmentBytes(8192).evictionEnabled(false), false);
    }

    /**
     * With eviction on, {@code entries} may end below the keys a scan shows: known limit (2) of
     * {@code Reclaimer} (a write that found a record which was then evicted keeps the key without
     * counting it again), and a stall between the two widens that window from instructions to laps.
     * Everything else is checked as with eviction off. Before link fences, a stall right before an
     * index CAS also hit known limits (1) and (3) within seconds here: a key read as missing and
     * came back, or a put's value read as evicted at once with {@code entries} one too high.
     */
    @Test
    void shouldNeverRefuseAWriteNorServeAStaleValueWhileThreadsStallWithEvictionOn() throws Exception
    {
        run(new CacheConfig().capacityBytes(128 << 10).segmentBytes(4096).evictionEnabled(true), false);
    }

    /**
     * Eviction on with live data well under the pressure: reclaim compacts, and helpers copy their
     * batches through relocation runs (see {@code RelocationRun}), which the configuration above
     * rarely uses (under pressure runs are off). Here a stall between two copies of a run is aimed at too.
     */
    @Test
    void shouldNeverRefuseNorLoseAWriteWhileThreadsStallWithEvictionOnBelowThePressure() throws Exception
    {
        run(new CacheConfig().capacityBytes(512 << 10).segmentBytes(8192).evictionEnabled(true), true);
    }

    /**
     * @param compacting eviction on with live data under the pressure: the log laps by relocating,
     *                   and relocation runs are used, so their stall point must be reached too.
     */
    private static void run(final CacheConfig config, final boolean compacting) throws Exception
    {
        assertTrue(StallInjection.ENABLED, "run with -D" + StallInjection.ENABLED_PROP_NAME + "=true (stress/pom.xml sets it)");
        final long seed = Long.getLong("ferrite.stress.seed", System.nanoTime());
        final long seconds = Long.getLong("ferrite.stress.stallSeconds", CI_SECONDS);
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(START_MILLIS);
        final boolean evictionEnabled = config.evictionEnabled();
        config.clock(clock).maxValueLength(ModelWorker.MAX_VALUE_LENGTH).hashSeed(seed);

        final List<String> violations = new ArrayList<>();
        final String pointNames = System.getProperty("ferrite.stress.stallPoints", "");
        final int[] points = RandomStallPlan.points(pointNames);
        final RandomStallPlan plan = new RandomStallPlan(points,
            Integer.getInteger("ferrite.stress.maxStalled", MAX_STALLED), 64, 1, 40, seed);
        try (FerriteCache cache = FerriteCache.create(config))
        {
            final SharedKeyLedger ledger = new SharedKeyLedger();
            final ModelWorker[] workers = new ModelWorker[THREADS];
            for (int i = 0; i < THREADS; i++)
            {
                workers[i] = new ModelWorker(i, cache, evictionEnabled, RandomizedModelTest.TICK_MILLIS, OWNED_KEYS_PER_THREAD,
                    SHARED_KEYS, ledger, seed + i);
                workers[i].writeColdKeys(clock.time());
            }

            StallInjection.install(plan);
            final long startNs = System.nanoTime();
            try
            {
                runFreely(workers, clock, TimeUnit.SECONDS.toNanos(seconds), () -> missingStalls(plan, points, compacting).isEmpty());
            }
            finally
            {
                StallInjection.install(null);
            }
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);

            for (final ModelWorker worker : workers)
            {
                violations.addAll(worker.violations());
            }
            violations.addAll(ledger.verify(!evictionEnabled));
            final long finalGets = RandomizedModelTest.verifyOwnedKeys(cache, workers, clock.time(), evictionEnabled, violations);
            final long scanned = RandomizedModelTest.verifyScan(cache, workers, clock.time(), evictionEnabled, violations);
            RandomizedModelTest.verifyStats(cache.stats(), workers, finalGets, scanned, clock.time(), evictionEnabled, violations);

            final CacheStats stats = cache.stats();
            final long refusals = Arrays.stream(workers).mapToLong(w -> w.fullRefusals).sum();
            final long clockTicks = (clock.time() - START_MILLIS) / RandomizedModelTest.TICK_MILLIS;
            System.out.printf("stall test (eviction %s, seed %d): %d ops in %d ms, %d clock ticks, %d full refusals, %d modelled keys found " +
                    "evicted, %d entries counted for %d scanned; stalls: %s; %s%n",
                evictionEnabled ? "on" : "off", seed, Arrays.stream(workers).mapToLong(w -> w.operations).sum(), elapsedMs, clockTicks,
                refusals, Arrays.stream(workers).mapToLong(w -> w.missesOfModelledKeys).sum(), stats.entries(), scanned,
                plan.describe(), stats);
            if (refusals != 0)
            {
                violations.add(refusals + " writes refused with FULL while other threads stalled: " + stats);
            }

            // Every point aimed at was reached, but reopening a deferred segment: that needs a forced
            // reclaim past a writer first, and a run can pass without one reaching it.
            final List<String> missing = missingStalls(plan, points, compacting);
            assertTrue(missing.isEmpty(), "no stall at " + missing + ": " + plan.describe());
            assertTrue(evictionEnabled && !compacting ? stats.evictions() > 0 : stats.relocations() > 0, "the log must lap: " + stats);
            assertTrue(clockTicks > 0 && stats.expirations() > 0, "records must expire during the run: " + clockTicks + " ticks, " + stats);
        }
        assertTrue(violations.isEmpty(), () -> violations.size() + " violations (eviction " + (evictionEnabled ? "on" : "off") +
            ", seed " + seed + "):\n  " + String.join("\n  ", violations));
    }

    /**
     * As above, with the background reclaim thread (ReclaimAgent) on: it is stalled at the reclaim
     * points like any helper, and a stalled agent must hold up no writer (writes reclaim for
     * themselves meanwhile).
     */
    @Test
    void shouldNeverRefuseNorLoseAWriteWhileThreadsAndTheReclaimAgentStall() throws Exception
    {
        run(new CacheConfig().capacityBytes(512 << 10).segmentBytes(8192).evictionEnabled(true).reclaimAheadSegments(2), true);
    }

    /**
     * As the compacting case, in two shards of that size: a thread stalled in one shard holds up
     * no writer of the other, and each shard's writers get past it as in one store.
     */
    @Test
    void shouldNeverRefuseNorLoseAWriteWhileThreadsStallInShards() throws Exception
    {
        run(new CacheConfig().capacityBytes(2 * 512 << 10).maxValueLength(1024).segmentBytes(8192).evictionEnabled(true)
            .shards(2), true);
    }

    /**
     * The points aimed at that no thread has stalled at yet, but reopening a deferred segment (that
     * needs a forced reclaim past a writer first, and a run can pass without one reaching it) and, when
     * not compacting, the relocation run's point (runs are used only with eviction on and below the
     * pressure). Read while the workers run, the tallies may lag: good enough to decide to run on.
     */
    private static List<String> missingStalls(final RandomStallPlan plan, final int[] points, final boolean compacting)
    {
        final long[] stalls = plan.stallsPerPoint();
        final List<String> missing = new ArrayList<>();
        for (final int point : points)
        {
            if (point != StallInjection.DEFERRED_BEFORE_REOPEN &&
                (point != StallInjection.RELOCATION_RUN_BETWEEN_COPIES || compacting) && stalls[point] == 0)
            {
                missing.add(StallInjection.name(point));
            }
        }
        return missing;
    }

    /**
     * Each worker runs rounds back to back until the deadline: no barrier, so the others go on past a
     * stalled one, but for the clock's ticks. A tick is requested every {@link #TICK_INTERVAL_MS}; each
     * worker, between rounds, joins every phase requested and not yet passed, and the last to arrive
     * moves the clock. A worker past the deadline deregisters, so nobody waits for it.
     */
    private static void runFreely(
        final ModelWorker[] workers, final CachedEpochClock clock, final long durationNs, final BooleanSupplier everyPointStalled)
        throws Exception
    {
        final long startNs = System.nanoTime();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicBoolean failed = new AtomicBoolean();
        final AtomicLong ticksRequested = new AtomicLong();
        final Phaser ticks = new Phaser(workers.length)
        {
            @Override
            protected boolean onAdvance(final int phase, final int registeredParties)
            {
                clock.advance(RandomizedModelTest.TICK_MILLIS);
                return registeredParties == 0;
            }
        };
        final Thread[] threads = new Thread[workers.length];
        for (int i = 0; i < workers.length; i++)
        {
            final ModelWorker worker = workers[i];
            threads[i] = new Thread(() ->
            {
                try
                {
                    for (int round = 0; !stop.get() && worker.violations().isEmpty(); round++)
                    {
                        worker.runRound(OPERATIONS_PER_ROUND, clock.time(), round);
                        if (ticksRequested.get() > ticks.getPhase())
                        {
                            ticks.arriveAndAwaitAdvance();
                        }
                    }
                }
                catch (final RuntimeException | Error e)
                {
                    failed.set(true);
                    throw e;
                }
                finally
                {
                    ticks.arriveAndDeregister();
                }
            }, "stalled-model-worker-" + i);
            threads[i].start();
        }
        // Run for the duration, and on, up to EXTRA_RUNS_FOR_COVERAGE times as long, while some point
        // has not been stalled at: stalls are random, and in a 4-second run a point was sometimes
        // aimed at by nobody (the coverage check failed with the engine unchanged).
        while (System.nanoTime() - startNs < durationNs ||
            (System.nanoTime() - startNs < durationNs * (1 + EXTRA_RUNS_FOR_COVERAGE) && !everyPointStalled.getAsBoolean()))
        {
            Thread.sleep(TICK_INTERVAL_MS);
            ticksRequested.incrementAndGet();
        }
        stop.set(true);
        for (final Thread thread : threads)
        {
            thread.join();
        }
        assertTrue(!failed.get(), "a worker threw (see its stack trace above)");
    }
}
