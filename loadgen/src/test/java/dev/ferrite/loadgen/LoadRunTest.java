package dev.ferrite.loadgen;

import dev.ferrite.loadgen.keys.KeyFormat;
import dev.ferrite.loadgen.run.LoadRun;
import dev.ferrite.loadgen.run.Loader;
import dev.ferrite.loadgen.run.ProgressListener;
import dev.ferrite.loadgen.run.RunConfig;
import dev.ferrite.loadgen.run.RunResult;
import dev.ferrite.loadgen.target.LoadTarget;
import dev.ferrite.loadgen.workload.Operation;
import dev.ferrite.loadgen.workload.WorkloadPresets;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class LoadRunTest
{
    private static final KeyFormat KEYS = new KeyFormat(16, 64);

    @Test
    void shouldRunAClosedLoopWorkload() throws Exception
    {
        // A map, not the engine: this tests the load generator. (The engine under more writers than
        // cores can still refuse a rare write with FULL; that is an engine issue with its own test.)
        try (MapTarget target = new MapTarget())
        {
            assertEquals(2_000, Loader.load(target, KEYS, 2_000, 2, 8));
            final RunConfig config = new RunConfig(WorkloadPresets.preset("A"), KEYS, 2_000, 2, 4, 0, 1, 0, 1);
            final AtomicInteger intervals = new AtomicInteger();
            final RunResult result = LoadRun.run(target, config, (warmup, second, total, all) -> intervals.incrementAndGet(), null);

            assertEquals(1, intervals.get());
            assertEquals(0, result.errors(), String.valueOf(result.firstError()));
            final long reads = result.latencies().get(Operation.READ).getTotalCount();
            final long updates = result.latencies().get(Operation.UPDATE).getTotalCount();
            assertTrue(reads > 100 && updates > 100, reads + " reads, " + updates + " updates");
            assertTrue(Math.abs(reads - updates) < (reads + updates) / 5, "50/50 mix: " + reads + " vs " + updates);
            assertEquals(1.0, result.readHitRatio(), 1e-9, "every loaded record is readable");
            assertEquals(reads, result.readHits() + result.readMisses());
        }
    }

    @Test
    void shouldInsertNewRecordsForWorkloadD() throws Exception
    {
        final AtomicLong highestWritten = new AtomicLong(-1);
        final LoadTarget recording = new CountingTarget()
        {
            @Override
            public CompletableFuture<Void> write(final byte[] key, final byte[] value)
            {
                final long index = Long.parseLong(new String(key, java.nio.charset.StandardCharsets.US_ASCII).substring(5));
                highestWritten.accumulateAndGet(index, Math::max);
                return CompletableFuture.completedFuture(null);
            }
        };
        final RunConfig config = new RunConfig(WorkloadPresets.preset("D"), KEYS, 1_000, 1, 1, 0, 1, 0, 1);
        final RunResult result = LoadRun.run(recording, config, ProgressListener.NONE, null);
        assertTrue(result.latencies().get(Operation.INSERT).getTotalCount() > 0);
        assertTrue(highestWritten.get() >= 1_000, "inserts go past the loaded records: " + highestWritten.get());
    }

    @Test
    void shouldChargeAStallToEveryRequestDueDuringItInAnOpenLoop() throws Exception
    {
        final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        final long stallAtNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        final long stallEndNs = stallAtNs + TimeUnit.MILLISECONDS.toNanos(300);
        // Answers in about 100 µs, except that nothing is answered for 300 ms after the first 0.5 s:
        // requests due in that window are answered late, and must be charged from when they were due.
        final LoadTarget stalling = new CountingTarget()
        {
            @Override
            public CompletableFuture<Boolean> read(final byte[] key)
            {
                final CompletableFuture<Boolean> answer = new CompletableFuture<>();
                final long now = System.nanoTime();
                final long delayNs = now >= stallAtNs && now < stallEndNs ? stallEndNs - now : 100_000;
                scheduler.schedule(() -> answer.complete(Boolean.TRUE), delayNs, TimeUnit.NANOSECONDS);
                return answer;
            }
        };
        try
        {
            final RunConfig config = new RunConfig(WorkloadPresets.preset("C"), KEYS, 1_000, 1, 1, 0, 2, 1_000, 1);
            final RunResult result = LoadRun.run(stalling, config, ProgressListener.NONE, null);
            final org.HdrHistogram.Histogram reads = result.latencies().get(Operation.READ);
            assertTrue(reads.getTotalCount() > 1_500 && reads.getTotalCount() < 2_500, "open loop keeps its rate: " + reads.getTotalCount());
            assertTrue(reads.getMaxValue() >= TimeUnit.MILLISECONDS.toNanos(250), "the stall is seen: " + reads.getMaxValue());
            // About 300 requests were due during the stall: with the correction, well over 5% of all
            // requests waited more than 50 ms (an uncorrected closed loop would show one slow request).
            final double slowShare = 1 - reads.getPercentileAtOrBelowValue(TimeUnit.MILLISECONDS.toNanos(50)) / 100;
            assertTrue(slowShare > 0.05, "share of requests charged with the stall: " + slowShare);
        }
        finally
        {
            scheduler.shutdownNow();
        }
    }

    @Test
    void shouldCountFailuresAsErrorsNotLatencies() throws Exception
    {
        final LoadTarget failing = new CountingTarget()
        {
            @Override
            public CompletableFuture<Boolean> read(final byte[] key)
            {
                return CompletableFuture.failedFuture(new IllegalStateException("node down"));
            }
        };
        final RunConfig config = new RunConfig(WorkloadPresets.preset("C"), KEYS, 100, 1, 2, 0, 1, 0, 1);
        final RunResult result = LoadRun.run(failing, config, ProgressListener.NONE, null);
        assertTrue(result.errors() > 0);
        assertTrue(result.firstError().contains("node down"), result.firstError());
        assertEquals(0, result.operations());
    }

    /** A thread-safe in-memory cache. */
    private static final class MapTarget implements LoadTarget
    {
        private final java.util.concurrent.ConcurrentHashMap<java.nio.ByteBuffer, byte[]> map = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public String name()
        {
            return "map";
        }

        @Override
        public CompletableFuture<Boolean> read(final byte[] key)
        {
            return CompletableFuture.completedFuture(map.get(java.nio.ByteBuffer.wrap(key)) != null);
        }

        @Override
        public CompletableFuture<Void> write(final byte[] key, final byte[] value)
        {
            map.put(java.nio.ByteBuffer.wrap(key), value);
            return CompletableFuture.completedFuture(null);
        }
    }

    /** Answers everything at once; tests override what they need. */
    private static class CountingTarget implements LoadTarget
    {
        @Override
        public String name()
        {
            return "test";
        }

        @Override
        public CompletableFuture<Boolean> read(final byte[] key)
        {
            return CompletableFuture.completedFuture(Boolean.TRUE);
        }

        @Override
        public CompletableFuture<Void> write(final byte[] key, final byte[] value)
        {
            return CompletableFuture.completedFuture(null);
        }
    }
}
