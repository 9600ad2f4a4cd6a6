package dev.ferrite.engine.eviction;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class FrequencySketchTest
{
    /** The smallest sketch: 16 words, aged after 160 counted increments. */
    private static final int WORDS = 16;

    private static FrequencySketch sketch(final int bytes)
    {
        return new FrequencySketch(new UnsafeBuffer(BufferUtil.allocateDirectAligned(bytes, 64)));
    }

    /** A hash whose counters are in this word; {@code variant} picks among the counters of each group. */
    private static long hashIn(final int word, final int variant)
    {
        final long nibbles = (variant & 3) | (long)((variant >> 2) & 3) << 8 | (long)((variant >> 4) & 3) << 16 |
            (long)((variant >> 6) & 3) << 24;
        return (long)word << 32 | nibbles;
    }

    @Test
    void shouldReachEveryWordOfTheLargestTable()
    {
        final int largestMask = (int)(FrequencySketch.bytesFor(Long.MAX_VALUE) / 8) - 1;
        assertEquals((1 << 27) - 1, largestMask);
        assertEquals(largestMask, FrequencySketch.wordIndex(-1L, largestMask));
        assertEquals(1 << 26, FrequencySketch.wordIndex(1L << 58, largestMask), "bits above 2^24 words are used");
        assertEquals(0, FrequencySketch.wordIndex(0xFFFF_FFFFL, largestMask), "the counter-picking bits do not move the word");
    }

    @Test
    void shouldKeepAgingWhileManyThreadsCount() throws Exception
    {
        final int words = 1024;
        final FrequencySketch sketch = sketch(words * 8);
        final long once = hashIn(7, 0);
        for (int i = 0; i < 15; i++)
        {
            sketch.increment(once);
        }
        // Four threads count distinct keys for about 12 aging periods of this table.
        final int perThread = 30 * words;
        final Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++)
        {
            final long seed = 0x9E37_79B9_7F4A_7C15L * (t + 1);
            threads[t] = new Thread(() ->
            {
                long hash = seed;
                for (int i = 0; i < perThread; i++)
                {
                    hash = hash * 6364136223846793005L + 1442695040888963407L;
                    sketch.increment(hash);
                }
            });
            threads[t].start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        // Fifteen uses, then none through several halvings of every line: at most collisions remain.
        assertTrue(sketch.frequency(once) <= 2, "a key used long ago should have aged away: " + sketch.frequency(once));
        assertTrue(sketch.additions() <= (long)FrequencySketch.AGING_INCREMENTS_PER_WORD * words + threads.length,
            "aging kept up with counting: " + sketch.additions());
    }

    @Test
    void shouldSizeOneWordPerIndexSlotRoundedDown()
    {
        assertEquals(16 * 8, FrequencySketch.bytesFor(1));
        assertEquals(512 * 8, FrequencySketch.bytesFor(1000));
        assertEquals(1024 * 8, FrequencySketch.bytesFor(1024));
        assertEquals(1L << 30, FrequencySketch.bytesFor(1L << 40), "capped");
    }

    @Test
    void shouldRefuseATableThatIsNotAPowerOfTwoOfWords()
    {
        assertThrows(IllegalArgumentException.class, () -> sketch(24 * 8));
        assertThrows(IllegalArgumentException.class, () -> sketch(8 * 8));
    }

    @Test
    void shouldCountUsesUpToFifteen()
    {
        final FrequencySketch sketch = sketch(WORDS * 8);
        final long key = hashIn(3, 0b1001_1100);
        for (int i = 1; i <= 20; i++)
        {
            sketch.increment(key);
            assertEquals(Math.min(15, i), sketch.frequency(key));
        }
        assertEquals(15, sketch.additions(), "a saturated key writes nothing and counts nothing");
        assertEquals(0, sketch.frequency(hashIn(4, 0b1001_1100)), "another word is untouched");
    }

    /**
     * A store counts its threads' additions in batches: a deferred increment moves the counters but
     * not the shared count, and the batch that reaches the aging count starts the sweep.
     */
    @Test
    void shouldLeaveCountingToTheCallerAndAgeWhenTheBatchesReachTheCount()
    {
        final FrequencySketch sketch = sketch(WORDS * 8);
        final long agingAt = (long)FrequencySketch.AGING_INCREMENTS_PER_WORD * WORDS;
        final long key = hashIn(0, 0);
        assertTrue(sketch.incrementDeferringCount(key));
        assertEquals(1, sketch.frequency(key));
        assertEquals(0, sketch.additions(), "the caller counts it");
        for (int i = 1; i < 15; i++)
        {
            assertTrue(sketch.incrementDeferringCount(key));
        }
        assertFalse(sketch.incrementDeferringCount(key), "saturated: nothing to count");

        sketch.countAdditions((int)agingAt - 1);
        assertEquals(agingAt - 1, sketch.additions());
        assertEquals(15, sketch.frequency(key), "not aged before the count");
        sketch.countAdditions(1); // reaches it: the sweep starts
        assertEquals(agingAt / 2, sketch.additions());
        assertFalse(sketch.incrementDeferringCount(hashIn(1, 1)), "during a sweep an increment helps it and is not counted");
        assertEquals(7, sketch.frequency(key), "words 0-7 halved by that step");
        sketch.countAdditions((int)agingAt); // a batch during the sweep counts, but starts no second sweep
        assertFalse(sketch.incrementDeferringCount(hashIn(1, 2)), "the sweep's second and last step");
        assertEquals(7, sketch.frequency(key), "halved once, not twice");
    }

    @Test
    void shouldBatchAtMostAThousandthOfTheAgingCount()
    {
        assertEquals(1, sketch(WORDS * 8).additionsBatch(), "a small sketch counts exactly");
        assertEquals(64, sketch(1 << 20).additionsBatch());
    }

    @Test
    void shouldHalveEveryCounterALineAtATimeAfterTenIncrementsPerWord()
    {
        final FrequencySketch sketch = sketch(WORDS * 8);
        final long first = hashIn(0, 0);
        final long ninth = hashIn(FrequencySketch.SWEEP_WORDS, 0); // in the second line the sweep halves
        for (int i = 0; i < 15; i++)
        {
            sketch.increment(first);
            sketch.increment(ninth);
        }
        // Other keys, in words 1-7 and 9-15, up to one increment before the aging count.
        final long agingAt = (long)FrequencySketch.AGING_INCREMENTS_PER_WORD * WORDS;
        int variant = 0;
        while (sketch.additions() < agingAt - 1)
        {
            final int word = 1 + variant % 14;
            sketch.increment(hashIn(word < FrequencySketch.SWEEP_WORDS ? word : word + 1, variant / 14));
            variant++;
        }
        assertEquals(15, sketch.frequency(first));
        assertEquals(15, sketch.frequency(ninth));

        sketch.increment(hashIn(1, 255)); // reaches the count: the sweep starts with the next increments
        assertEquals(agingAt / 2, sketch.additions());
        assertEquals(15, sketch.frequency(first));

        sketch.increment(hashIn(2, 254)); // halves words 0-7
        assertEquals(7, sketch.frequency(first));
        assertEquals(15, sketch.frequency(ninth));

        sketch.increment(hashIn(3, 253)); // halves words 8-15: the sweep is over
        assertEquals(7, sketch.frequency(first));
        assertEquals(7, sketch.frequency(ninth));

        sketch.increment(first); // counting again
        assertEquals(8, sketch.frequency(first));
        assertEquals(agingAt / 2 + 1, sketch.additions());
    }
}
