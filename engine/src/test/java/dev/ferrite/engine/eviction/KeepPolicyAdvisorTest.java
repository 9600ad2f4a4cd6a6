package dev.ferrite.engine.eviction;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.ferrite.engine.eviction.PolicyWorkloads.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class KeepPolicyAdvisorTest
{
    private static final KeepPolicyAdvisor.LogShape LOG = new KeepPolicyAdvisor.LogShape(4096, 64, 2, 85, 95, 2, 50);
    private static final long INDEX_SLOTS = 1000;

    private KeepPolicyAdvisor lastAdvisor;

    private static KeepPolicyAdvisor advisor(final FrequencySketch sketch)
    {
        final UnsafeBuffer samples = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            (int)KeepPolicyAdvisor.sampleBufferBytes(INDEX_SLOTS), 64));
        return new KeepPolicyAdvisor(samples, sketch, INDEX_SLOTS, LOG);
    }

    /** Feeds the advisor what a cache would see (read; on a miss, put), hits decided by its own shadow of the advice. */
    private int adviceAfter(final KeyPattern pattern)
    {
        final int startingWithAdvice = KeepPolicyAdvisor.initialKeepFrequency();
        final FrequencySketch sketch = new FrequencySketch(new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            (int)FrequencySketch.bytesFor(INDEX_SLOTS), 64)));
        final KeepPolicyAdvisor advisor = advisor(sketch);
        lastAdvisor = advisor;
        assertEquals(startingWithAdvice, advisor.keepFrequency());
        final ShadowCache cache = new ShadowCache(sketch, startingWithAdvice, new ShadowCache.Shape(
            4096, 64, 2, 85, 95, 2, 50, 4096));
        final Random random = new Random(42);
        for (int step = 0; step < ACCESSES; step++)
        {
            final long hash = hash(pattern.key(step, random));
            sketch.increment(hash);
            final boolean hit = cache.contains(hash);
            cache.read(hash, RECORD_BYTES, !hit);
            advisor.recordRead(hash, hit ? RECORD_BYTES : 0, 0);
            if (!hit)
            {
                cache.write(hash, RECORD_BYTES);
                advisor.recordWrite(hash, RECORD_BYTES, 0);
            }
            if (step % 64 == 0)
            {
                advisor.drain(); // as reclaim does
            }
        }
        return advisor.keepFrequency();
    }

    @Test
    void shouldKeepFrequentKeysOnALoop()
    {
        final int advice = adviceAfter(PolicyWorkloads::loopKey);
        assertNotEquals(KeepPolicyAdvisor.NEVER, advice);
        assertTrue(lastAdvisor.shadowHits(advice) > lastAdvisor.shadowHits(KeepPolicyAdvisor.NEVER) * 10 + 1000,
            "on a loop the frequency shadow should hit far more: " + lastAdvisor.shadowHits(advice) + " against " +
            lastAdvisor.shadowHits(KeepPolicyAdvisor.NEVER));
    }

    @Test
    void shouldTurnToPureClockWhenFrequentKeysAreDead()
    {
        assertEquals(KeepPolicyAdvisor.NEVER, adviceAfter(PolicyWorkloads::slidingWithBurstsKey));
    }

    /**
     * The loop with 64 times the keys in a store 64 times larger: the advisor samples 1 key in 64
     * into shadow segments 1/64 of the size, and must still see what keeping frequent keys is worth.
     * (Only the loop: at this scale the sketch has 128 times the counters, so the burst keys of the
     * other workload no longer fool the frequency gate, and both shadows hit alike there.)
     */
    @Test
    void shouldSeeTheLoopWhenSamplingOneKeyIn64()
    {
        final int scale = 64;
        final long indexSlots = 1024L * scale; // a ratio of exactly 64
        final KeepPolicyAdvisor.LogShape log = new KeepPolicyAdvisor.LogShape(4096 * scale, 65, 2, 85, 95, 2, 50);
        final FrequencySketch sketch = new FrequencySketch(new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            (int)FrequencySketch.bytesFor(indexSlots), 64)));
        final UnsafeBuffer samples = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            (int)KeepPolicyAdvisor.sampleBufferBytes(indexSlots), 64));
        final KeepPolicyAdvisor advisor = new KeepPolicyAdvisor(samples, sketch, indexSlots, log);
        assertEquals(64, KeepPolicyAdvisor.sampleRatio(indexSlots));
        for (int step = 0; step < ACCESSES * scale; step++)
        {
            // 64 interleaved copies of the loop, each over its own 1,500 keys.
            final long hash = hash(loopKey(step / scale, null) * scale + step % scale);
            sketch.increment(hash);
            advisor.recordRead(hash, 0, step); // as a cache-aside caller: a read that missed, then the put
            advisor.recordWrite(hash, RECORD_BYTES, step);
            if (step % 1024 == 0)
            {
                advisor.drain();
            }
        }
        advisor.drain();
        assertTrue(advisor.samplesDrained() > ACCESSES, "samples drained: " + advisor.samplesDrained());
        final int advice = advisor.keepFrequency();
        assertNotEquals(KeepPolicyAdvisor.NEVER, advice);
        final long frequencyHits = advisor.shadowHits(advice);
        final long clockHits = advisor.shadowHits(KeepPolicyAdvisor.NEVER);
        assertEquals(0, clockHits, "a loop larger than the cache never hits under CLOCK");
        assertTrue(frequencyHits > advisor.samplesDrained() / 2 / 10, "frequency shadow hits " + frequencyHits);
    }

    @Test
    void shouldSampleAboutTheTargetNumberOfKeys()
    {
        assertEquals(1, KeepPolicyAdvisor.sampleRatio(1000));
        assertEquals(1024, KeepPolicyAdvisor.sampleRatio(1_048_576));
        assertEquals(8, KeepPolicyAdvisor.sampleRatio(10_000));
    }

    @Test
    void shouldTakeSamplesFromManyThreadsWhileOthersDrain() throws Exception
    {
        final FrequencySketch sketch = new FrequencySketch(new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            (int)FrequencySketch.bytesFor(INDEX_SLOTS), 64)));
        final KeepPolicyAdvisor advisor = advisor(sketch);
        final int threads = 4;
        final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try
        {
            final java.util.List<java.util.concurrent.Future<?>> runs = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                final int seed = t;
                runs.add(pool.submit(() ->
                {
                    final Random random = new Random(seed);
                    for (int i = 0; i < 200_000; i++)
                    {
                        final long hash = hash(random.nextInt(5_000));
                        sketch.increment(hash);
                        if (random.nextInt(4) == 0)
                        {
                            advisor.recordWrite(hash, RECORD_BYTES, seed);
                        }
                        else
                        {
                            advisor.recordRead(hash, random.nextBoolean() ? RECORD_BYTES : 0, seed);
                        }
                        if (i % 97 == 0)
                        {
                            advisor.drain();
                        }
                    }
                }));
            }
            for (final java.util.concurrent.Future<?> run : runs)
            {
                run.get(60, java.util.concurrent.TimeUnit.SECONDS); // rethrows anything a shadow threw
            }
        }
        finally
        {
            pool.shutdownNow();
        }
        advisor.drain();
        assertTrue(advisor.samplesDrained() > 10_000, "samples drained: " + advisor.samplesDrained());
        assertTrue(advisor.shadowHits(2) > 0 && advisor.shadowHits(KeepPolicyAdvisor.NEVER) > 0,
            "5,000 keys in a cache of about 1,000 should hit in both shadows");
    }

    @Test
    void shouldAllocateNothingToRecordOrDrain()
    {
        final FrequencySketch sketch = new FrequencySketch(new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            (int)FrequencySketch.bytesFor(INDEX_SLOTS), 64)));
        final KeepPolicyAdvisor advisor = advisor(sketch);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
            "this JVM does not count allocated bytes per thread");
        final long thread = Thread.currentThread().getId();
        for (int round = 0; round < 3; round++)
        {
            final long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < 100_000; i++)
            {
                final long hash = hash(i % 3000);
                advisor.recordRead(hash, (i & 1) == 0 ? 0 : RECORD_BYTES, i);
                advisor.recordWrite(hash, RECORD_BYTES, i);
            }
            advisor.drain();
            final long allocated = threads.getThreadAllocatedBytes(thread) - before;
            if (allocated == 0)
            {
                assertTrue(advisor.samplesDrained() > 0);
                return;
            }
        }
        fail("recording and draining samples allocated in every round (the first rounds may warm up)");
    }
}
