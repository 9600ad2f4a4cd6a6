package dev.ferrite.engine;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Built-in {@link Codec}s. All are stateless, thread-safe and deterministic (equal objects give
 * equal bytes), and their {@code decode} always returns a fresh object that does not refer to the
 * buffer, which is only valid for the call.
 */
public final class Codecs
{
    /**
     * Strings as UTF-8, without a length prefix. Strict: a string with an unpaired surrogate has
     * no UTF-8 form and is refused with {@link IllegalArgumentException} rather than silently
     * replaced by '?' (which would make two different keys collide).
     */
    public static final Codec<String> STRING = new Utf8StringCodec();

    /**
     * Byte arrays as themselves. Keys are compared by their bytes in the store, so a lookup with
     * another array of the same content finds the entry. Values, however, are compared by
     * {@code byte[].equals}, which is identity: {@code remove(k, v)}, {@code replace(k, old, new)},
     * {@code containsValue} and entry equality never match a decoded copy. Use the cache's
     * version-based {@code compareAndSet} for conditional writes of raw bytes.
     */
    public static final Codec<byte[]> BYTES = new ByteArrayCodec();

    /** Longs as 8 bytes, big-endian, so that byte order is numeric order for non-negative values. */
    public static final Codec<Long> LONG = new LongCodec();

    private Codecs()
    {
    }

    private static final class Utf8StringCodec implements Codec<String>
    {
        @Override
        public int encodedLength(final String value)
        {
            int length = 0;
            final int chars = value.length();
            for (int i = 0; i < chars; i++)
            {
                final char c = value.charAt(i);
                if (c < 0x80)
                {
                    length += 1;
                }
                else if (c < 0x800)
                {
                    length += 2;
                }
                else if (Character.isSurrogate(c))
                {
                    checkPair(value, i);
                    length += 4;
                    i++;
                }
                else
                {
                    length += 3;
                }
            }
            return length;
        }

        @Override
        public int encode(final String value, final MutableDirectBuffer buffer, final int offset)
        {
            int position = offset;
            final int chars = value.length();
            for (int i = 0; i < chars; i++)
            {
                final char c = value.charAt(i);
                if (c < 0x80)
                {
                    buffer.putByte(position++, (byte)c);
                }
                else if (c < 0x800)
                {
                    buffer.putByte(position++, (byte)(0xC0 | (c >> 6)));
                    buffer.putByte(position++, (byte)(0x80 | (c & 0x3F)));
                }
                else if (Character.isSurrogate(c))
                {
                    checkPair(value, i);
                    final int codePoint = Character.toCodePoint(c, value.charAt(++i));
                    buffer.putByte(position++, (byte)(0xF0 | (codePoint >> 18)));
                    buffer.putByte(position++, (byte)(0x80 | ((codePoint >> 12) & 0x3F)));
                    buffer.putByte(position++, (byte)(0x80 | ((codePoint >> 6) & 0x3F)));
                    buffer.putByte(position++, (byte)(0x80 | (codePoint & 0x3F)));
                }
                else
                {
                    buffer.putByte(position++, (byte)(0xE0 | (c >> 12)));
                    buffer.putByte(position++, (byte)(0x80 | ((c >> 6) & 0x3F)));
                    buffer.putByte(position++, (byte)(0x80 | (c & 0x3F)));
                }
            }
            return position - offset;
        }

        @Override
        public String decode(final DirectBuffer buffer, final int offset, final int length)
        {
            return buffer.getStringWithoutLengthUtf8(offset, length);
        }

        private static void checkPair(final String value, final int index)
        {
            if (!Character.isHighSurrogate(value.charAt(index)) || index + 1 >= value.length() ||
                !Character.isLowSurrogate(value.charAt(index + 1)))
            {
                throw new IllegalArgumentException("unpaired surrogate at index=" + index + ": no UTF-8 form");
            }
        }
    }

    private static final class ByteArrayCodec implements Codec<byte[]>
    {
        @Override
        public int encodedLength(final byte[] value)
        {
            return value.length;
        }

        @Override
        public int encode(final byte[] value, final MutableDirectBuffer buffer, final int offset)
        {
            buffer.putBytes(offset, value);
            return value.length;
        }

        @Override
        public byte[] decode(final DirectBuffer buffer, final int offset, final int length)
        {
            final byte[] value = new byte[length];
            buffer.getBytes(offset, value);
            return value;
        }
    }

    private static final class LongCodec implements Codec<Long>
    {
        private static final int LENGTH = Long.BYTES;

        @Override
        public int encodedLength(final Long value)
        {
            return LENGTH;
        }

        @Override
        public int encode(final Long value, final MutableDirectBuffer buffer, final int offset)
        {
            buffer.putLong(offset, value, ByteOrder.BIG_ENDIAN);
            return LENGTH;
        }

        @Override
        public Long decode(final DirectBuffer buffer, final int offset, final int length)
        {
            if (length != LENGTH)
            {
                throw new IllegalArgumentException("length=" + length + " is not a Long encoding of " + LENGTH + " bytes");
            }
            return buffer.getLong(offset, ByteOrder.BIG_ENDIAN);
        }
    }
}
