package dev.ferrite.engine.hash;

import org.agrona.DirectBuffer;

/**
 * Redis Cluster's key slot: CRC16 (XMODEM) of the key, or of its first non-empty {@code {hash tag}},
 * mod 16384. Computed once per write and kept in the record, so streaming one slot needs no hashing.
 */
public final class RoutingSlot
{
    public static final int SLOT_COUNT = 16384;

    private static final int[] CRC16_TABLE = new int[256];

    static
    {
        for (int i = 0; i < 256; i++)
        {
            int crc = i << 8;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            CRC16_TABLE[i] = crc & 0xFFFF;
        }
    }

    private RoutingSlot()
    {
    }

    public static int slot(final DirectBuffer key, final int offset, final int length)
    {
        int start = 0;
        int end = length;
        for (int i = 0; i < length; i++)
        {
            if (key.getByte(offset + i) == '{')
            {
                for (int j = i + 1; j < length; j++)
                {
                    if (key.getByte(offset + j) == '}')
                    {
                        if (j > i + 1)
                        {
                            start = i + 1;
                            end = j;
                        }
                        break;
                    }
                }
                break;
            }
        }
        return crc16(key, offset + start, end - start) & (SLOT_COUNT - 1);
    }

    public static int crc16(final DirectBuffer buffer, final int offset, final int length)
    {
        int crc = 0;
        for (int i = 0; i < length; i++)
        {
            crc = ((crc << 8) ^ CRC16_TABLE[((crc >>> 8) ^ buffer.getByte(offset + i)) & 0xFF]) & 0xFFFF;
        }
        return crc;
    }
}
