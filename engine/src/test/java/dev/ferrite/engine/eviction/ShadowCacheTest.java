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
    /**
     * 65 usable segments of fifteen 256-byte records. On a loop, keeping frequent keys with a short
     * keep budget settles either where the records the budget evicts are the newest ones (hits) or
     * where they are the next ones the loop reads (no hits), and which one depends on how records
     * pack: with 64 or 66 segments the log itself gets 2-6% on this loop instead of 44% (measured on
     * a store, and the shadow agrees). That is the log's behaviour, which the shadow must copy.
     */
    private static final ShadowCache.Shape SHAPE = new ShadowCache.Shape(4096, 65, 2, 85, 95, 2, 50, 4096);

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
            final boolean hit = shadow.contains(hash); // the shadow is the cache here
            shadow.read(hash, RECORD_BYTES, !hit);
            if (!hit)
            {
                shadow.write(hash, RECORD_BYTES);
            }
        }
        shadow.liveEntries();
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
        // Measured 68.8% against 62.0%.
        assertTrue(clock > frequency + 0.03, "clock " + clock + " against frequency " + frequency);
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
            shadow.read(hash, bytes, false);
            assertEquals(before + 1, shadow.hits(), "a key just written must be found");
            assertTrue(shadow.liveBytes() <= logBytes, "live bytes " + shadow.liveBytes());
        }
    }

    @Test
    void shouldStayConsistentWhenTheRingFillsBeforeTheBytes()
    {
        // 64 ring entries for a log of 16 segments of 4 KiB holding 40-byte records: the ring is
        // the binding budget, so reclaim must see ring pressure and never walk its own copies.
        final ShadowCache shadow = new ShadowCache(sketch(), 2, new ShadowCache.Shape(4096, 16, 2, 85, 95, 2, 50, 64));
        final Random random = new Random(3);
        for (int i = 0; i < 20_000; i++)
        {
            final long hash = hash(random.nextInt(500));
            shadow.read(hash, 40, false);
            if (i % 500 == 0)
            {
                assertTrue(shadow.liveEntries() <= 64);
            }
        }
        assertTrue(shadow.hits() > 0, "a 64-entry cache over 500 keys should hit sometimes");
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
            final int operation = random.nextInt(10);
            if (operation < 5)
            {
                shadow.read(hash, 200, random.nextBoolean());
            }
            else if (operation < 9)
            {
                shadow.write(hash, 8 * (1 + random.nextInt(60)));
            }
            else
            {
                shadow.remove(hash);
                assertFalse(shadow.contains(hash));
            }
            if (i % 1_000 == 0)
            {
                int present = 0;
                for (final long seen : everSeen)
                {
                    present += shadow.contains(seen) ? 1 : 0;
                }
                // liveEntries() also checks ring -> table, table -> ring and the live bytes.
                assertEquals(shadow.liveEntries(), present, "table and ring disagree after " + i + " operations");
            }
        }
    }
}
