package dev.ferrite.bench.data;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The benchmark's keys: key {@code i} is 16 bytes, a scrambled copy of {@code i} followed by
 * {@code i} itself (big-endian), so keys are unique, look random to every hash function, and can
 * be rebuilt from the index alone.
 *
 * <pre>
 *   0               8               16
 *   +---------------+---------------+
 *   |  mix64(i)     |  i            |
 *   +---------------+---------------+
 * </pre>
 */
public final class Keys
{
    public static final int KEY_BYTES = 16;

    private Keys()
    {
    }

    /** SplitMix64's finalizer: a bijection, so distinct indexes give distinct first words. */
    public static long mix64(final long value)
    {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public static void write(final long index, final byte[] destination)
    {
        final ByteBuffer buffer = ByteBuffer.wrap(destination).order(ByteOrder.BIG_ENDIAN);
        buffer.putLong(0, mix64(index)).putLong(8, index);
    }

    public static byte[] bytes(final long index)
    {
        final byte[] key = new byte[KEY_BYTES];
        write(index, key);
        return key;
    }

    /** All keys {@code [0, count)} back to back in one direct buffer: key i at offset {@code i * 16}. */
    public static UnsafeBuffer offHeap(final int count)
    {
        final UnsafeBuffer keys = new UnsafeBuffer(ByteBuffer.allocateDirect(count * KEY_BYTES));
        for (int i = 0; i < count; i++)
        {
            keys.putLong(i * KEY_BYTES, mix64(i), ByteOrder.BIG_ENDIAN);
            keys.putLong(i * KEY_BYTES + 8, i, ByteOrder.BIG_ENDIAN);
        }
        return keys;
    }

    /** Fills a value of any length with bytes derived from the key index, so values differ. */
    public static void fillValue(final long index, final byte[] value)
    {
        long seed = mix64(index ^ 0x5DEECE66DL);
        for (int i = 0; i < value.length; i++)
        {
            if ((i & 7) == 0)
            {
                seed = mix64(seed);
            }
            value[i] = (byte)(seed >>> ((i & 7) << 3));
        }
    }
}
