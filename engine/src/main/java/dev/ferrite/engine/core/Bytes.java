package dev.ferrite.engine.core;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/** Byte-range comparison between two buffers, eight bytes at a time. */
final class Bytes
{
    private Bytes()
    {
    }

    static boolean equal(final DirectBuffer a, final int aOffset, final DirectBuffer b, final int bOffset, final int length)
    {
        int i = 0;
        for (final int limit = length - 7; i < limit; i += 8)
        {
            if (a.getLong(aOffset + i, ByteOrder.LITTLE_ENDIAN) != b.getLong(bOffset + i, ByteOrder.LITTLE_ENDIAN))
            {
                return false;
            }
        }
        for (; i < length; i++)
        {
            if (a.getByte(aOffset + i) != b.getByte(bOffset + i))
            {
                return false;
            }
        }
        return true;
    }
}
