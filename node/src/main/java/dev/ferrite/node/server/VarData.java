package dev.ferrite.node.server;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;

/**
 * Reads SBE fields whose size comes from the wire (var data, group headers) only after checking
 * they end before the message does, so a hostile length can never make a read leave the message.
 *
 * <pre>
 *   var data                          group header
 *   0               4                 0            2            4
 *   +---------------+-------------+   +------------+------------+
 *   | length uint32 | bytes ...   |   | blockLength| numInGroup |
 *   +---------------+-------------+   +------------+------------+
 * </pre>
 *
 * Not thread-safe: one instance per handler; results live in the fields until the next read.
 */
final class VarData
{
    static final int LENGTH_FIELD_BYTES = 4;
    static final int GROUP_HEADER_BYTES = 4;

    int dataOffset;
    int dataLength;
    int groupBlockLength;
    int groupCount;

    /** @return the position after the field, or -1 when it does not fit before {@code end}. */
    int readVarData(final DirectBuffer buffer, final int position, final int end)
    {
        if (position < 0 || position > end - LENGTH_FIELD_BYTES)
        {
            return -1;
        }
        final long length = buffer.getInt(position, ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        if (length > end - position - LENGTH_FIELD_BYTES)
        {
            return -1;
        }
        dataOffset = position + LENGTH_FIELD_BYTES;
        dataLength = (int)length;
        return dataOffset + dataLength;
    }

    /** @return the position of the first entry, or -1 when the header does not fit before {@code end}. */
    int readGroupHeader(final DirectBuffer buffer, final int position, final int end)
    {
        if (position < 0 || position > end - GROUP_HEADER_BYTES)
        {
            return -1;
        }
        groupBlockLength = buffer.getShort(position, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        groupCount = buffer.getShort(position + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        return position + GROUP_HEADER_BYTES;
    }
}
