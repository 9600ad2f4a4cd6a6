package dev.ferrite.stress.jcstress;

import java.util.Arrays;

/**
 * Values whose every byte is the same, so that a read mixing two records (a torn read) is always
 * detectable, and the codes outcomes use for what a read saw.
 */
final class Values
{
    /** The key was absent. */
    static final int MISS = 0;
    /** The whole of {@link #A} (every byte 0x01). */
    static final int SAW_A = 1;
    /** The whole of {@link #B} (every byte 0x02). */
    static final int SAW_B = 2;
    /** The whole of {@link #C} (every byte 0x03). */
    static final int SAW_C = 3;
    /** Anything else: a torn, partial, resized or foreign value. Always forbidden. */
    static final int GARBAGE = -1;

    static final int LENGTH = 64;
    static final byte[] A = filled((byte)1, LENGTH);
    static final byte[] B = filled((byte)2, LENGTH);
    static final byte[] C = filled((byte)3, LENGTH);

    private Values()
    {
    }

    static byte[] filled(final byte b, final int length)
    {
        final byte[] value = new byte[length];
        Arrays.fill(value, b);
        return value;
    }

    /** Classifies a value read from the cache (null = miss). */
    static int classify(final byte[] value)
    {
        if (value == null)
        {
            return MISS;
        }
        if (Arrays.equals(value, A))
        {
            return SAW_A;
        }
        if (Arrays.equals(value, B))
        {
            return SAW_B;
        }
        if (Arrays.equals(value, C))
        {
            return SAW_C;
        }
        return GARBAGE;
    }
}
