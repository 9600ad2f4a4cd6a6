package dev.ferrite.bench.data;

import dev.ferrite.loadgen.keys.Zipfian;

import java.util.SplittableRandom;

/**
 * Precomputed sequences of key indexes and of operations, so that neither random numbers nor
 * Zipfian sampling is part of what a benchmark measures. Zipfian ranks go through a fixed random
 * permutation (YCSB's "scrambled" Zipfian), so the popular keys are spread over the key space and
 * over the order in which keys were loaded.
 */
public enum KeyDistribution
{
    UNIFORM, ZIPFIAN;

    public static final double ZIPF_THETA = 0.99;

    public static KeyDistribution parse(final String name)
    {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }

    /**
     * @param length a power of two, so a thread's cursor wraps with a mask.
     * @return key indexes in {@code [0, keyCount)}.
     */
    public int[] keyIndexes(final int keyCount, final int length, final long seed)
    {
        requirePowerOfTwo(length);
        final SplittableRandom random = new SplittableRandom(seed);
        final int[] indexes = new int[length];
        if (this == UNIFORM)
        {
            for (int i = 0; i < length; i++)
            {
                indexes[i] = random.nextInt(keyCount);
            }
            return indexes;
        }
        final int[] permutation = permutation(keyCount, random);
        final Zipfian zipfian = new Zipfian(keyCount, ZIPF_THETA, random.nextLong());
        for (int i = 0; i < length; i++)
        {
            indexes[i] = permutation[(int)zipfian.nextRank()];
        }
        return indexes;
    }

    /** Exactly {@code length * putPercent / 100} true entries (puts), shuffled. */
    public static boolean[] putMask(final int putPercent, final int length, final long seed)
    {
        requirePowerOfTwo(length);
        final boolean[] mask = new boolean[length];
        final int puts = (int)((long)length * putPercent / 100);
        for (int i = 0; i < puts; i++)
        {
            mask[i] = true;
        }
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = length - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final boolean swap = mask[i];
            mask[i] = mask[j];
            mask[j] = swap;
        }
        return mask;
    }

    private static int[] permutation(final int count, final SplittableRandom random)
    {
        final int[] permutation = new int[count];
        for (int i = 0; i < count; i++)
        {
            permutation[i] = i;
        }
        for (int i = count - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int swap = permutation[i];
            permutation[i] = permutation[j];
            permutation[j] = swap;
        }
        return permutation;
    }

    private static void requirePowerOfTwo(final int length)
    {
        if (length <= 0 || Integer.bitCount(length) != 1)
        {
            throw new IllegalArgumentException("length=" + length + " must be a power of two");
        }
    }
}
