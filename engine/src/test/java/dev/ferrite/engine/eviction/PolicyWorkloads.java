package dev.ferrite.engine.eviction;

import java.util.Random;

/**
 * Two synthetic workloads on which the candidate keep frequencies disagree, for a log of 64
 * segments of 4 KiB holding 256-byte records (about 1,000 of them).
 */
final class PolicyWorkloads
{
    static final int RECORD_BYTES = 256;
    static final int ACCESSES = 200_000;

    private PolicyWorkloads()
    {
    }

    /** A loop over 1,500 keys: LRU and pure CLOCK never hit; keeping frequent keys holds part of the loop. */
    static long loopKey(final int step, final Random random)
    {
        return step % 1500;
    }

    /**
     * Half the accesses go to a hot set that slides forward (recency wins), half to keys read in a
     * burst of three and never again: their frequency says keep them, but they are dead.
     */
    static long slidingWithBurstsKey(final int step, final Random random)
    {
        return step % 2 == 0 ? 10_000_000L + step / 6 : step / 8 + (long)Math.abs(random.nextGaussian() * 200);
    }

    static long hash(final long key)
    {
        final long h = (key + 1) * 0x9E37_79B9_7F4A_7C15L;
        return h ^ (h >>> 31);
    }

    interface KeyPattern
    {
        long key(int step, Random random);
    }
}
