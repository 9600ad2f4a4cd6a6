package dev.ferrite.engine.hash;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RoutingSlotTest
{
    @Test
    void shouldComputeTheXmodemCheckValue()
    {
        final byte[] bytes = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0x31C3, RoutingSlot.crc16(new UnsafeBuffer(bytes), 0, bytes.length));
    }

    /** Values from the Redis documentation of CLUSTER KEYSLOT. */
    @Test
    void shouldAgreeWithRedisClusterKeySlot()
    {
        assertEquals(11058, slot("somekey"));
        assertEquals(2515, slot("foo{hash_tag}"));
        assertEquals(slot("hash_tag"), slot("foo{hash_tag}"));
    }

    /** The hash tag rules of the Redis Cluster specification. */
    @Test
    void shouldHashOnlyTheFirstNonEmptyHashTag()
    {
        assertEquals(slot("user1000"), slot("{user1000}.following"));
        assertEquals(slot("{user1000}.following"), slot("{user1000}.followers"));
        assertEquals(slot("bar"), slot("foo{bar}{zap}"));
        assertEquals(slot("{bar"), slot("foo{{bar}}zap"));
        assertEquals(crcSlot("foo{}{bar}"), slot("foo{}{bar}")); // empty first tag: the whole key
        assertEquals(crcSlot("foo{bar"), slot("foo{bar")); // no closing brace: the whole key
        assertEquals(crcSlot(""), slot(""));
    }

    /** Against the byte-at-a-time definition, at every offset and length, braces placed at random. */
    @Test
    void shouldMatchTheByteAtATimeDefinitionOnRandomKeys()
    {
        final SplittableRandom random = new SplittableRandom(7);
        final byte[] alphabet = "ab{}x".getBytes(StandardCharsets.US_ASCII);
        final byte[] bytes = new byte[96];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        for (int round = 0; round < 200_000; round++)
        {
            final int offset = random.nextInt(16);
            final int length = random.nextInt(64);
            for (int i = 0; i < length; i++)
            {
                bytes[offset + i] = random.nextInt(4) == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte)random.nextInt(256);
            }
            assertEquals(referenceSlot(bytes, offset, length), RoutingSlot.slot(buffer, offset, length),
                () -> "offset " + offset + ", length " + length);
            assertEquals(referenceCrc16(bytes, offset, length), RoutingSlot.crc16(buffer, offset, length));
        }
    }

    private static int slot(final String key)
    {
        final byte[] bytes = key.getBytes(StandardCharsets.US_ASCII);
        return RoutingSlot.slot(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    private static int crcSlot(final String key)
    {
        final byte[] bytes = key.getBytes(StandardCharsets.US_ASCII);
        return referenceCrc16(bytes, 0, bytes.length) & (RoutingSlot.SLOT_COUNT - 1);
    }

    private static int referenceSlot(final byte[] key, final int offset, final int length)
    {
        int start = 0;
        int end = length;
        for (int i = 0; i < length; i++)
        {
            if (key[offset + i] == '{')
            {
                for (int j = i + 1; j < length; j++)
                {
                    if (key[offset + j] == '}')
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
        return referenceCrc16(key, offset + start, end - start) & (RoutingSlot.SLOT_COUNT - 1);
    }

    /** CRC16/XMODEM, bit by bit: polynomial 0x1021, initial 0, no reflection. */
    private static int referenceCrc16(final byte[] bytes, final int offset, final int length)
    {
        int crc = 0;
        for (int i = 0; i < length; i++)
        {
            crc ^= (bytes[offset + i] & 0xFF) << 8;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            crc &= 0xFFFF;
        }
        return crc;
    }
}
