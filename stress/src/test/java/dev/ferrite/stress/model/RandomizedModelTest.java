package dev.ferrite.stress.model;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.CacheStats;
import dev.ferrite.engine.EntryMeta;
import dev.ferrite.engine.FerriteCache;
import dev.ferrite.engine.Status;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Randomized multi-threaded model test: {@value #THREADS} threads run random operations (get,
 * put, putIfAbsent, replace, compareAndSet, remove, conditional remove, touch, with and without
 * TTLs) on keys each thread owns, checked exactly against a per-thread model (see
 * {@link ModelWorker}), plus shared keys with weaker checks. A manual clock advances one tick
 * between rounds, so TTLs expire deterministically while no thread runs.
 *
 * <p>Checked during the run: statistics invariants ({@link StatsSampler}). After it: every
 * answer the workers checked, every shared read against the writes, a scan that must show exactly
 * the model's live entries (eviction off) or a subset of them with the model's values (eviction
 * on: never a resurrected or foreign one), and statistics against what the workers did.
 *
 * <p>Runs a fixed number of rounds by default; {@code -Dferrite.stress.modelSeconds=N} runs each
 * configuration for N seconds instead; {@code -Dferrite.stress.seed=S} fixes the seeds.
 */
class RandomizedModelTest
{
    static final int THREADS = 4;
    static final int OWNED_KEYS_PER_THREAD = 256;
    static final int SHARED_KEYS = 8;
    static final int OPERATIONS_PER_ROUND = 1_500;
    static final int CI_ROUNDS = 40;
    static final long TICK_MILLIS = 10;

    @Test
    void shouldMatchTheModelExactlyWithEvictionOff() throws Exception
    {
        // 1,024 owned keys of ~160 bytes live in ~200 KiB: 2 MiB laps many times per run, and each lap
        // must carry the cold keys forward.
        run(new CacheConfig().capacityBytes(2 << 20).evictionEnabled(false));
    }

    @Test
    void shouldNeverServeStaleOrForeignValuesWithEvictionOn() throws Exception
    {
        // Smaller than the live set: most writes force eviction.
        run(new CacheConfig().capacityBytes(128 << 10).segmentBytes(4096).evictionEnabled(true));
    }

    /** As above, with a background thread reclaiming ahead of the writers (ReclaimAgent) beside their own reclaims. */
    @Test
    void shouldMatchTheModelExactlyWithEvictionOffAndReclaimAhead() throws Exception
    {
        run(new CacheConfig().capacityBytes(2 << 20).evictionEnabled(false).reclaimAheadSegments(2));
    }

    @Test
    void shouldNeverServeStaleOrForeignValuesWithEvictionOnAndReclaimAhead() throws Exception
    {
        run(new CacheConfig().capacityBytes(128 << 10).segmentBytes(4096).evictionEnabled(true).reclaimAheadSegments(2));
    }

    /** Four shards of 512 KiB: each key's operations go to its shard, and all four lap many times. */
    @Test
    void shouldMatchTheModelExactlyWithEvictionOffInShards() throws Exception
    {
        run(new CacheConfig().capacityBytes(2 << 20).maxValueLength(1024).segmentBytes(8192).evictionEnabled(false).shards(4));
    }

    /** Four shards of 64 KiB (the smallest store), each about its share of the live set: all evict. */
    @Test
    void shouldNeverServeStaleOrForeignValuesWithEvictionOnInShards() throws Exception
    {
        run(new CacheConfig().capacityBytes(4 * 64 << 10).maxValueLength(1024).segmentBytes(4096).evictionEnabled(true)
            .shards(4).reclaimAheadSegments(2));
    }

    private static void run(final CacheConfig config) throws Exception
    {
        final long seed = Long.getLong("ferrite.stress.seed", System.nanoTime());
        final long seconds = Long.getLong("ferrite.stress.modelSeconds", 0);
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(1_000_000);
        final boolean evictionEnabled = config.evictionEnabled();
        config.clock(clock).maxValueLength(ModelWorker.MAX_VALUE_LENGTH).hashSeed(seed);

        final List<String> violations = new ArrayList<>();
        try (FerriteCache cache = FerriteCache.create(config))
        {
            final SharedKeyLedger ledger = new SharedKeyLedger();
            final ModelWorker[] workers = new ModelWorker[THREADS];
            for (int i = 0; i < THREADS; i++)
            {
                workers[i] = new ModelWorker(i, cache, evictionEnabled, TICK_MILLIS, OWNED_KEYS_PER_THREAD, SHARED_KEYS,
                    ledger, seed + i);
            }

            for (final ModelWorker worker : workers)
            {
                worker.writeColdKeys(clock.time());
            }
            final StatsSampler sampler = new StatsSampler(cache);
            final Thread samplerThread = new Thread(sampler, "stats-sampler");
            samplerThread.start();
            final long startNanos = System.nanoTime();
            final int rounds = runRounds(workers, clock, seconds);
            final long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
            sampler.stop();
            samplerThread.join();

            for (final ModelWorker worker : workers)
            {
                violations.addAll(worker.violations());
            }
            violations.addAll(sampler.violations());
            violations.addAll(ledger.verify(!evictionEnabled));
            final long finalGets = verifyOwnedKeys(cache, workers, clock.time(), evictionEnabled, violations);
            final long scanned = verifyScan(cache, workers, clock.time(), evictionEnabled, violations);
            verifyStats(cache.stats(), workers, finalGets, scanned, clock.time(), false, violations);
            if (evictionEnabled)
            {
                verifyMissesWereEvictions(cache.stats(), workers, violations);
            }

            final CacheStats stats = cache.stats();
            System.out.printf("model test (eviction %s, seed %d): %d rounds, %d ops in %d ms, %d stats samples, %d full refusals, " +
                    "%d modelled keys found evicted; %s%n",
                evictionEnabled ? "on" : "off", seed, rounds, Arrays.stream(workers).mapToLong(w -> w.operations).sum(),
                elapsedMillis, sampler.samples(), Arrays.stream(workers).mapToLong(w -> w.fullRefusals).sum(),
                Arrays.stream(workers).mapToLong(w -> w.missesOfModelledKeys).sum(), stats);
            if (evictionEnabled)
            {
                assertTrue(stats.evictions() > 0, "the eviction configuration must evict: " + stats);
            }
            else
            {
                assertTrue(stats.relocations() > 0, "the no-eviction configuration must compact: " + stats);
            }
        }
        assertTrue(violations.isEmpty(), () -> violations.size() + " violations (eviction " + (evictionEnabled ? "on" : "off") +
            ", seed " + seed + "):\n  " + String.join("\n  ", violations));
    }

    /** Runs rounds until the fixed count or the time budget; the clock moves only between rounds. */
    private static int runRounds(final ModelWorker[] workers, final CachedEpochClock clock, final long seconds) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        final CyclicBarrier barrier = new CyclicBarrier(THREADS + 1);
        final int[] roundHolder = {0};
        final Thread[] threads = new Thread[THREADS];
        final boolean[] stop = {false};
        final AtomicReference<Throwable> workerFailure = new AtomicReference<>();
        for (int i = 0; i < THREADS; i++)
        {
            final ModelWorker worker = workers[i];
            threads[i] = new Thread(() ->
            {
                try
                {
                    while (true)
                    {
                        barrier.await();
                        if (stop[0])
                        {
                            return;
                        }
                        worker.runRound(OPERATIONS_PER_ROUND, clock.time(), roundHolder[0]);
                        barrier.await();
                    }
                }
                catch (final Throwable t)
                {
                    // Break the barrier, so the test fails with this instead of waiting for good
                    // for a worker that is gone.
                    workerFailure.compareAndSet(null, t);
                    barrier.reset();
                }
            }, "model-worker-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
        int round = 0;
        try
        {
            while (seconds > 0 ? System.nanoTime() < deadline : round < CI_ROUNDS)
            {
                roundHolder[0] = round;
                barrier.await(); // the barrier publishes the round number and the clock to the workers
                barrier.await();
                clock.advance(TICK_MILLIS);
                round++;
            }
            stop[0] = true;
            barrier.await();
        }
        catch (final BrokenBarrierException e)
        {
            throw new AssertionError("a worker failed in round " + round, workerFailure.get());
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        return round;
    }

    /** Every owned key, read once more with all threads stopped. @return the gets issued. */
    static long verifyOwnedKeys(
        final FerriteCache cache, final ModelWorker[] workers, final long nowMillis, final boolean evictionEnabled,
        final List<String> violations)
    {
        final UnsafeBuffer destination = new UnsafeBuffer(new byte[4096]);
        final EntryMeta meta = new EntryMeta();
        long gets = 0;
        for (int w = 0; w < workers.length; w++)
        {
            for (int k = 0; k < OWNED_KEYS_PER_THREAD; k++)
            {
                final byte[] key = ModelWorker.ownedKeyName(w, k).getBytes(StandardCharsets.US_ASCII);
                final int length = cache.get(new UnsafeBuffer(key), 0, key.length, destination, 0, meta);
                gets++;
                final ModelEntry entry = workers[w].model().get(k);
                final boolean live = entry != null && entry.isLiveAt(nowMillis);
                if (!live)
                {
                    check(length == Status.MISS, "final get of absent " + new String(key, StandardCharsets.US_ASCII) +
                        " returned " + Status.describe(length), violations);
                }
                else if (length == Status.MISS)
                {
                    check(evictionEnabled, "final get lost " + new String(key, StandardCharsets.US_ASCII), violations);
                }
                else
                {
                    final byte[] actual = new byte[Math.max(0, length)];
                    destination.getBytes(0, actual);
                    check(Arrays.equals(actual, entry.value()) && meta.version() == entry.version() &&
                        meta.expiresAtMillis() == entry.expiresAtMillis(), "final get of " +
                        new String(key, StandardCharsets.US_ASCII) + " returned version " + meta.version() + " not the model's " +
                        entry.version(), violations);
                }
            }
        }
        return gets;
    }

    /** A scan must show only the model's live entries with the model's values. @return entries scanned. */
    static long verifyScan(
        final FerriteCache cache, final ModelWorker[] workers, final long nowMillis, final boolean evictionEnabled,
        final List<String> violations)
    {
        final Map<String, ModelEntry> expected = new HashMap<>();
        for (int w = 0; w < workers.length; w++)
        {
            for (final Map.Entry<Integer, ModelEntry> e : workers[w].model().entrySet())
            {
                if (e.getValue().isLiveAt(nowMillis))
                {
                    expected.put(ModelWorker.ownedKeyName(w, e.getKey()), e.getValue());
                }
            }
        }
        final long[] counts = new long[2]; // owned, shared
        cache.scan((key, keyOffset, keyLength, value, valueOffset, valueLength, version, expiresAt) ->
        {
            final String name = key.getStringWithoutLengthAscii(keyOffset, keyLength);
            if (name.startsWith("shared:"))
            {
                counts[1]++;
                return true;
            }
            counts[0]++;
            final ModelEntry entry = expected.remove(name);
            final byte[] actual = new byte[valueLength];
            value.getBytes(valueOffset, actual);
            check(entry != null && Arrays.equals(actual, entry.value()) && version == entry.version() &&
                expiresAt == entry.expiresAtMillis(), "scan showed " + name + " version " + version +
                (entry == null ? " which the model does not hold (resurrected or foreign)" : " but the model holds " + entry.version()),
                violations);
            return true;
        });
        if (!evictionEnabled)
        {
            check(expected.isEmpty(), "scan missed " + expected.size() + " live owned keys, e.g. " +
                expected.keySet().stream().limit(5).toList(), violations);
            check(counts[1] <= SHARED_KEYS, "scan showed " + counts[1] + " shared entries", violations);
        }
        return counts[0] + counts[1];
    }

    /**
     * With eviction on, a modelled key that misses is presumed evicted and dropped from the model,
     * so each disappearance is counted once: more of them than the store counted evictions and
     * expirations means entries were lost, not evicted.
     */
    static void verifyMissesWereEvictions(final CacheStats stats, final ModelWorker[] workers, final List<String> violations)
    {
        final long missing = Arrays.stream(workers).mapToLong(w -> w.missesOfModelledKeys).sum();
        check(missing <= stats.evictions() + stats.expirations(), missing + " modelled keys went missing but the store " +
            "counted only " + stats.evictions() + " evictions and " + stats.expirations() + " expirations: " + stats, violations);
    }

    /** Statistics against what the workers did, with all threads stopped. */
    /** @param entriesMayRunLow skip the lower bound on entries (known limit (2) of Reclaimer, widened by long stalls). */
    static void verifyStats(
        final CacheStats stats, final ModelWorker[] workers, final long finalGets, final long scanned, final long nowMillis,
        final boolean entriesMayRunLow, final List<String> violations)
    {
        final long gets = Arrays.stream(workers).mapToLong(w -> w.gets).sum() + finalGets;
        final long writes = Arrays.stream(workers).mapToLong(w -> w.successfulWrites).sum();
        final long removes = Arrays.stream(workers).mapToLong(w -> w.successfulRemoves).sum();
        final long expiredInModel = Arrays.stream(workers)
            .mapToLong(w -> w.model().values().stream().filter(e -> !e.isLiveAt(nowMillis)).count()).sum();
        // allocatedBytes is the length of the store's one native allocation (each shard's), as made.
        check(stats.allocatedBytes() <= stats.capacityBytes(), "allocatedBytes > capacityBytes: " + stats, violations);
        // Liveness: FULL is a fail-fast refusal while another writer is stalled in the oldest
        // segment (or, eviction off, while live data fills the budget, which it never does here).
        // It must stay the exception, not become the rule.
        final long refusals = Arrays.stream(workers).mapToLong(w -> w.fullRefusals).sum();
        check(refusals <= writes, refusals + " writes refused with FULL against " + writes + " that succeeded: writers " +
            "starve each other (see stress/README.md, liveness)", violations);
        check(stats.hits() + stats.misses() == gets, "hits + misses = " + (stats.hits() + stats.misses()) +
            " but " + gets + " gets were issued: " + stats, violations);
        check(stats.puts() == writes, "puts = " + stats.puts() + " but " + writes + " writes succeeded: " + stats, violations);
        check(stats.removes() == removes, "removes = " + stats.removes() + " but " + removes + " removes succeeded: " + stats,
            violations);
        // Expired entries count until reclaimed, so entries lies between the live entries a scan
        // shows and those plus the expired ones the model still holds. The only slack above that:
        // the shared keys, whose expiry no model tracks (at most SHARED_KEYS), and as many again for
        // margin. This used to allow 100%: up to +50% was seen with eviction on, from segment walks
        // that jumped over records after an abandoned copy kept a foreign first word (fixed in
        // Reclaimer.copyRecord; engine EntryCountTest reproduces it). An over-count of that kind
        // fails here now.
        final long slack = 2L * SHARED_KEYS;
        check((entriesMayRunLow || stats.entries() >= scanned) && stats.entries() <= scanned + expiredInModel + slack,
            "entries = " + stats.entries() + " outside [" + scanned + ", " + (scanned + expiredInModel + slack) +
            "] (scanned live, plus expired not yet reclaimed, plus expired shared keys); see engine EntryCountTest: " + stats,
            violations);
    }

    private static void check(final boolean condition, final String message, final List<String> violations)
    {
        if (!condition)
        {
            violations.add(message);
        }
    }
}
