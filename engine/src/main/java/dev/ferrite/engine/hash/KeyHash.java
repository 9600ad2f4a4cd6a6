package dev.ferrite.engine.hash;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * A seeded 64-bit hash of key bytes: eight bytes at a time through a multiply-rotate mix, then a
 * strong finaliser (MurmurHash3's fmix64). A random seed per store keeps an attacker who picks
 * keys from lining them up in one index chain.
 */
public final class KeyHash
{
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;

    private KeyHash()
    {
    }

    public static long hash(final DirectBuffer buffer, final int offset, final int length, final long seed)
    {
        long h = seed ^ (length * P3);
        int i = 0;
        final int limit = length - 7;
        for (; i < limit; i += 8)
        {
            final long k = buffer.getLong(offset + i, ByteOrder.LITTLE_ENDIAN) * P2;
            h ^= Long.rotateLeft(k, 31) * P1;
            h = Long.rotateLeft(h, 27) * P1 + P3;
        }
        long tail = 0;
        for (int shift = 0; i < length; i++, shift += 8)
        {
            tail |= (buffer.getByte(offset + i) & 0xFFL) << shift;
        }
        h ^= Long.rotateLeft(tail * P2, 31) * P1;
        return fmix64(h);
    }

    public static long fmix64(final long value)
    {
        long h = value;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}
