package dev.ferrite.loadgen.keys;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns a record index into a key and a value. Keys are readable ({@code user:0000000042}, padded
 * or cut to the configured length, so a demo can show where they live); values are pseudo-random
 * bytes derived from the index, so every record differs but nothing is stored to rebuild them.
 */
public final class KeyFormat
{
    private static final byte[] PREFIX = "user:".getBytes(StandardCharsets.US_ASCII);
    /** Room for the prefix and every index a long can hold. */
    public static final int MIN_KEY_BYTES = PREFIX.length + 10;

    private final int keyBytes;
    private final int valueBytes;

    public KeyFormat(final int keyBytes, final int valueBytes)
    {
        if (keyBytes < MIN_KEY_BYTES)
        {
            throw new IllegalArgumentException("keyBytes must be >= " + MIN_KEY_BYTES + ": " + keyBytes);
        }
        if (valueBytes < 1)
        {
            throw new IllegalArgumentException("valueBytes must be >= 1: " + valueBytes);
        }
        this.keyBytes = keyBytes;
        this.valueBytes = valueBytes;
    }

    public int keyBytes()
    {
        return keyBytes;
    }

    public int valueBytes()
    {
        return valueBytes;
    }

    /** {@code user:} followed by the index in decimal, zero-padded on the left to the key length. */
    public byte[] key(final long index)
    {
        if (index < 0)
        {
            throw new IllegalArgumentException("index must be >= 0: " + index);
        }
        final byte[] key = new byte[keyBytes];
        System.arraycopy(PREFIX, 0, key, 0, PREFIX.length);
        Arrays.fill(key, PREFIX.length, keyBytes, (byte)'0');
        long rest = index;
        for (int i = keyBytes - 1; i >= PREFIX.length && rest != 0; i--)
        {
            key[i] = (byte)('0' + rest % 10);
            rest /= 10;
        }
        return key;
    }

    public byte[] value(final long index)
    {
        final byte[] value = new byte[valueBytes];
        long seed = mix64(index ^ 0x5DEECE66DL);
        for (int i = 0; i < valueBytes; i++)
        {
            if ((i & 7) == 0)
            {
                seed = mix64(seed);
            }
            value[i] = (byte)(seed >>> ((i & 7) << 3));
        }
        return value;
    }

    /** SplitMix64's finalizer: a bijection on longs that scrambles Zipfian ranks over the key space. */
    public static long mix64(final long value)
    {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
