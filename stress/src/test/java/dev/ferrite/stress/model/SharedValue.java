package dev.ferrite.stress.model;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Self-describing values for keys every thread writes: a header naming the writer and its write
 * sequence, and a body every byte of which is derived from that header. Any torn or foreign read
 * fails {@link #isWellFormed}.
 *
 * <pre>
 *   0        4            12        16
 *   +--------+------------+---------+---------------------------+
 *   | writer | sequence   | length  | body: (byte)(writer * 31 + sequence), repeated
 *   +--------+------------+---------+---------------------------+
 * </pre>
 */
final class SharedValue
{
    static final int WRITER_OFFSET = 0;
    static final int SEQUENCE_OFFSET = 4;
    static final int LENGTH_OFFSET = 12;
    static final int HEADER_LENGTH = 16;

    private SharedValue()
    {
    }

    /** Encodes into {@code buffer} at 0. @return the encoded length. */
    static int encode(final MutableDirectBuffer buffer, final int writer, final long sequence, final int bodyLength)
    {
        final int length = HEADER_LENGTH + bodyLength;
        buffer.putInt(WRITER_OFFSET, writer);
        buffer.putLong(SEQUENCE_OFFSET, sequence);
        buffer.putInt(LENGTH_OFFSET, length);
        buffer.setMemory(HEADER_LENGTH, bodyLength, bodyByte(writer, sequence));
        return length;
    }

    static boolean isWellFormed(final DirectBuffer buffer, final int length)
    {
        if (length < HEADER_LENGTH || buffer.getInt(LENGTH_OFFSET) != length)
        {
            return false;
        }
        final byte expected = bodyByte(buffer.getInt(WRITER_OFFSET), buffer.getLong(SEQUENCE_OFFSET));
        for (int i = HEADER_LENGTH; i < length; i++)
        {
            if (buffer.getByte(i) != expected)
            {
                return false;
            }
        }
        return true;
    }

    static int writer(final DirectBuffer buffer)
    {
        return buffer.getInt(WRITER_OFFSET);
    }

    static long sequence(final DirectBuffer buffer)
    {
        return buffer.getLong(SEQUENCE_OFFSET);
    }

    private static byte bodyByte(final int writer, final long sequence)
    {
        return (byte)(writer * 31 + sequence);
    }
}
