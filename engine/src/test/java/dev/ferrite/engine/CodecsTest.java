package dev.ferrite.engine;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CodecsTest
{
    private static <T> byte[] encode(final Codec<T> codec, final T value)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[codec.encodedLength(value) + 3]);
        final int written = codec.encode(value, buffer, 3); // at an offset, to catch offset mistakes
        final byte[] bytes = new byte[written];
        buffer.getBytes(3, bytes);
        return bytes;
    }

    private static <T> T decode(final Codec<T> codec, final byte[] bytes)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[bytes.length + 5]);
        buffer.putBytes(5, bytes);
        return codec.decode(buffer, 5, bytes.length);
    }

    @Test
    void shouldEncodeStringsAsStandardUtf8AndRoundTrip()
    {
        for (final String value : List.of("", "plain ascii", "caf\u00e9", "\u20ac100", "\ud83d\ude00 emoji",
            "mixed \u00e9\u20ac\ud83d\ude00\u0000\u007f\u0080\u07ff\u0800\uffff"))
        {
            final byte[] bytes = encode(Codecs.STRING, value);
            assertArrayEquals(value.getBytes(StandardCharsets.UTF_8), bytes, value);
            assertEquals(bytes.length, Codecs.STRING.encodedLength(value), value);
            assertEquals(value, decode(Codecs.STRING, bytes));
        }
    }

    @Test
    void shouldRejectStringsWithUnpairedSurrogates()
    {
        for (final String value : List.of("\ud83d", "a\ud83db", "\ude00", "x\ude00\ud83d"))
        {
            assertThrows(IllegalArgumentException.class, () -> Codecs.STRING.encodedLength(value), value);
            assertThrows(IllegalArgumentException.class,
                () -> Codecs.STRING.encode(value, new UnsafeBuffer(new byte[64]), 0), value);
        }
    }

    @Test
    void shouldEncodeLongsAsEightBytesBigEndianAndRoundTrip()
    {
        assertArrayEquals(new byte[]{1, 2, 3, 4, 5, 6, 7, 8}, encode(Codecs.LONG, 0x0102030405060708L));
        for (final long value : new long[]{Long.MIN_VALUE, -1, 0, 1, 255, 256, Long.MAX_VALUE})
        {
            final byte[] bytes = encode(Codecs.LONG, value);
            assertArrayEquals(ByteBuffer.allocate(8).putLong(value).array(), bytes);
            assertEquals(value, decode(Codecs.LONG, bytes));
        }
    }

    @Test
    void shouldRefuseToDecodeLongFromWrongLength()
    {
        assertThrows(IllegalArgumentException.class, () -> decode(Codecs.LONG, new byte[7]));
        assertThrows(IllegalArgumentException.class, () -> decode(Codecs.LONG, new byte[9]));
    }

    @Test
    void shouldRoundTripByteArraysIntoIndependentCopies()
    {
        final byte[] value = {0, -1, 127, -128, 42};
        assertArrayEquals(value, encode(Codecs.BYTES, value));
        final UnsafeBuffer buffer = new UnsafeBuffer(value.clone());
        final byte[] decoded = Codecs.BYTES.decode(buffer, 1, 3);
        assertArrayEquals(new byte[]{-1, 127, -128}, decoded);
        buffer.setMemory(0, value.length, (byte)9); // the scan reuses its buffers: a decoded value must not change
        assertArrayEquals(new byte[]{-1, 127, -128}, decoded);
        assertArrayEquals(new byte[0], decode(Codecs.BYTES, new byte[0]));
    }
}
