package dev.ferrite.engine.eviction;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static dev.ferrite.engine.eviction.PolicyWorkloads.*;
import static org.junit.jupiter.api.Assertions.*;

class ShadowCacheTest
{
    private static final ShadowCache.Shape SHAPE = new ShadowCache.Shape(4096, 64, 2, 85, 95, 50, 4096);

    private static FrequencySketch sketch()
    {
        return new FrequencySketch(new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            (int)FrequencySketch.bytesFor(1000), 64)));
    }

    /** Replays a pattern as the cache sees it (read; on a miss, put) and returns the hit ratio. */
    private static double hitRatio(final int keepFrequency, final KeyPattern pattern)
    {
        final FrequencySketch sketch = sketch();
        final ShadowCache shadow = new ShadowCache(sketch, keepFrequency, SHAPE);
        final Random random = new Random(42);
        for (int step = 0; step < ACCESSES; step++)
        {
            final long hash = hash(pattern.key(step, random));
            sketch.increment(hash);
            final long before = shadow.hits();
            shadow.read(hash, RECORD_BYTES);
            if (shadow.hits() == before)
            {
                shadow.write(hash, RECORD_BYTES);
            }
        }
        return (double)shadow.hits() / ACCESSES;
    }

    @Test
    void shouldHoldPartOfALoopOnlyWhenKeepingFrequentKeys()
    {
        final double clock = hitRatio(KeepPolicyAdvisor.NEVER, PolicyWorkloads::loopKey);
        final double frequency = hitRatio(2, PolicyWorkloads::loopKey);
        assertEquals(0.0, clock, 1e-9, "a FIFO with second chances cannot hit a loop larger than itself");
        assertTrue(frequency > 0.3, "keeping frequent keys should hold part of the loop: " + frequency);
    }

    @Test
    void shouldLoseToClockWhenFrequentKeysAreDead()
    {
        final double clock = hitRatio(KeepPolicyAdvisor.NEVER, PolicyWorkloads::slidingWithBurstsKey);
        final double frequency = hitRatio(2, PolicyWorkloads::slidingWithBurstsKey);
        assertTrue(clock > frequency + 0.1, "clock " + clock + " against frequency " + frequency);
    }

    @Test
    void shouldFindWhatWasJustWrittenAndNeverHoldMoreThanTheLog()
    {
        final ShadowCache shadow = new ShadowCache(sketch(), 2, SHAPE);
        final Random random = new Random(7);
        final long logBytes = (long)SHAPE.segmentBytes() * (SHAPE.usableSegments() + 1 + SHAPE.reservedSegments());
        for (int i = 0; i < 100_000; i++)
        {
            final long hash = hash(random.nextInt(5_000));
            final int bytes = 8 * (1 + random.nextInt(100));
            shadow.write(hash, bytes);
            final long before = shadow.hits();
            shadow.read(hash, bytes);
            assertEquals(before + 1, shadow.hits(), "a key just written must be found");
            assertTrue(shadow.liveBytes() <= logBytes, "live bytes " + shadow.liveBytes());
        }
    }

    @Test
    void shouldKeepItsTableAndRingInStepUnderRandomOperations()
    {
        final ShadowCache shadow = new ShadowCache(sketch(), 2, SHAPE);
        final Random random = new Random(11);
        final Set<Long> everSeen = new HashSet<>();
        for (int i = 0; i < 50_000; i++)
        {
            final long hash = hash(random.nextInt(3_000));
            everSeen.add(hash);
            if (random.nextBoolean())
            {
                shadow.read(hash, 200);
            }
            else
            {
                shadow.write(hash, 8 * (1 + random.nextInt(60)));
            }
            if (i % 5_000 == 0)
            {
                int present = 0;
                for (final long seen : everSeen)
                {
                    present += shadow.contains(seen) ? 1 : 0;
                }
                assertEquals(shadow.liveEntries(), present, "table and ring disagree after " + i + " operations");
            }
        }
    }
}
