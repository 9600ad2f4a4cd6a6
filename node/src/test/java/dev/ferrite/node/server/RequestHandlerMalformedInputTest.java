package dev.ferrite.node.server;

import dev.ferrite.transport.sbe.ErrorCode;
import dev.ferrite.transport.sbe.ErrorResponseDecoder;
import dev.ferrite.transport.sbe.GetRequestDecoder;
import dev.ferrite.transport.sbe.MessageHeaderEncoder;
import dev.ferrite.transport.sbe.MultiGetRequestDecoder;
import dev.ferrite.transport.sbe.SetCondition;
import dev.ferrite.transport.sbe.SetRequestDecoder;
import dev.ferrite.transport.sbe.ValueResponseDecoder;

import java.nio.ByteOrder;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.ferrite.node.server.Requests.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestHandlerMalformedInputTest
{
    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;
    private final HandlerFixture f = new HandlerFixture(false);

    @AfterEach
    void close()
    {
        f.close();
    }

    private ErrorCode errorOf(final int length)
    {
        assertEquals(ErrorResponseDecoder.TEMPLATE_ID, f.serve(length));
        return f.error.code();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4, 7})
    void shouldRefuseMessagesShorterThanTheHeader(final int length)
    {
        assertEquals(ErrorCode.MALFORMED, errorOf(length));
        assertEquals(0, f.error.correlationId());
        assertEquals(1, f.counters.errors(ErrorCode.MALFORMED));
    }

    @Test
    void shouldRefuseEveryTruncationOfAValidSet()
    {
        final int full = f.requests.set(f.request, 42, 0, SetCondition.ALWAYS, 0, 0, bytes("key"), bytes("value"));
        final byte[] copy = new byte[full];
        f.request.getBytes(0, copy);
        for (int length = 0; length < full; length++)
        {
            f.request.putBytes(0, copy);
            assertEquals(ErrorCode.MALFORMED, errorOf(length), "length " + length);
        }
        f.request.putBytes(0, copy);
        assertEquals(ValueResponseDecoder.TEMPLATE_ID, f.serve(full));
        assertEquals(0, f.cache.size() - 1, "only the whole message stored anything");
    }

    @Test
    void shouldRefuseAnotherSchemaId()
    {
        final int length = f.requests.ping(f.request, 5, 0);
        f.request.putShort(4, (short)1234, ByteOrder.LITTLE_ENDIAN);
        assertEquals(ErrorCode.UNKNOWN_MESSAGE, errorOf(length));
        assertEquals(5, f.error.correlationId());
    }

    @Test
    void shouldRefuseVersionZero()
    {
        final int length = f.requests.ping(f.request, 5, 0);
        f.request.putShort(6, (short)0, ByteOrder.LITTLE_ENDIAN);
        assertEquals(ErrorCode.UNSUPPORTED_VERSION, errorOf(length));
    }

    @Test
    void shouldRefuseUnknownTemplatesAndResponsesSentAsRequests()
    {
        final int length = f.requests.ping(f.request, 5, 0);
        f.request.putShort(2, (short)999, ByteOrder.LITTLE_ENDIAN);
        assertEquals(ErrorCode.UNKNOWN_MESSAGE, errorOf(length));
        f.request.putShort(2, (short)ValueResponseDecoder.TEMPLATE_ID, ByteOrder.LITTLE_ENDIAN);
        assertEquals(ErrorCode.UNKNOWN_MESSAGE, errorOf(length));
        assertEquals(2, f.counters.errors(ErrorCode.UNKNOWN_MESSAGE));
    }

    @Test
    void shouldRefuseBlockLengthPastTheEndOrShorterThanTheFields()
    {
        final int length = f.requests.get(f.request, 5, 0, bytes("k"));
        f.request.putShort(0, (short)60_000, ByteOrder.LITTLE_ENDIAN);
        assertEquals(ErrorCode.MALFORMED, errorOf(length));
        f.request.putShort(0, (short)(GetRequestDecoder.BLOCK_LENGTH - 1), ByteOrder.LITTLE_ENDIAN);
        assertEquals(ErrorCode.MALFORMED, errorOf(length));
    }

    @Test
    void shouldAcceptALongerBlockFromANewerSchemaVersion()
    {
        // A newer client may add fields at the end of the block: they are skipped.
        final int length = f.requests.get(f.request, 5, 0, bytes("k"));
        final byte[] copy = new byte[length];
        f.request.getBytes(0, copy);
        f.request.putBytes(0, copy, 0, HEADER + GetRequestDecoder.BLOCK_LENGTH);
        f.request.setMemory(HEADER + GetRequestDecoder.BLOCK_LENGTH, 4, (byte)0);
        f.request.putBytes(HEADER + GetRequestDecoder.BLOCK_LENGTH + 4, copy, HEADER + GetRequestDecoder.BLOCK_LENGTH,
            length - HEADER - GetRequestDecoder.BLOCK_LENGTH);
        f.request.putShort(0, (short)(GetRequestDecoder.BLOCK_LENGTH + 4), ByteOrder.LITTLE_ENDIAN);
        f.request.putShort(6, (short)2, ByteOrder.LITTLE_ENDIAN);
        assertEquals(ValueResponseDecoder.TEMPLATE_ID, f.serve(length + 4));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 1_000, Integer.MAX_VALUE, -1})
    void shouldRefuseKeyLengthsPastTheEnd(final int keyLength)
    {
        final int length = f.requests.get(f.request, 5, 0, bytes("k"));
        f.request.putInt(HEADER + GetRequestDecoder.BLOCK_LENGTH, keyLength, ByteOrder.LITTLE_ENDIAN);
        assertEquals(ErrorCode.MALFORMED, errorOf(length));
        assertEquals(5, f.error.correlationId());
    }

    @Test
    void shouldRefuseValueLengthPastTheEnd()
    {
        final int length = f.requests.set(f.request, 5, 0, SetCondition.ALWAYS, 0, 0, bytes("k"), bytes("v"));
        f.request.putInt(HEADER + SetRequestDecoder.BLOCK_LENGTH + 4 + 1, 0xFFFF_FFF0, ByteOrder.LITTLE_ENDIAN);
        assertEquals(ErrorCode.MALFORMED, errorOf(length));
        assertEquals(0, f.cache.size());
    }

    @Test
    void shouldRefuseOversizeKeysAndValues()
    {
        final byte[] hugeKey = new byte[f.cache.config().maxKeyLength() + 1];
        assertEquals(ErrorCode.KEY_TOO_LARGE, errorOf(f.requests.get(f.request, 5, 0, hugeKey)));
        final byte[] hugeValue = new byte[f.cache.config().maxValueLength() + 1];
        assertEquals(ErrorCode.VALUE_TOO_LARGE,
            errorOf(f.requests.set(f.request, 6, 0, SetCondition.ALWAYS, 0, 0, bytes("k"), hugeValue)));
        assertEquals(0, f.cache.size());
    }

    @Test
    void shouldRefuseNegativeAndOverflowingTtl()
    {
        assertEquals(ErrorCode.INVALID_TTL,
            errorOf(f.requests.set(f.request, 5, 0, SetCondition.ALWAYS, -1, 0, bytes("k"), bytes("v"))));
        assertEquals(ErrorCode.INVALID_TTL,
            errorOf(f.requests.set(f.request, 6, 0, SetCondition.ALWAYS, Long.MAX_VALUE, 0, bytes("k"), bytes("v"))));
        assertEquals(ErrorCode.INVALID_TTL, errorOf(f.requests.touch(f.request, 7, -5, bytes("k"))));
        assertEquals(ErrorCode.INVALID_TTL, errorOf(f.requests.increment(f.request, 8, 1, 0, -5, bytes("k"))));
        assertEquals(0, f.cache.size());
    }

    @Test
    void shouldRefuseUnknownConditionsAndNonPositiveExpectedVersions()
    {
        final int length = f.requests.set(f.request, 5, 0, SetCondition.ALWAYS, 0, 0, bytes("k"), bytes("v"));
        f.request.putByte(HEADER + 9, (byte)7);
        assertEquals(ErrorCode.MALFORMED, errorOf(length));
        assertEquals(ErrorCode.MALFORMED,
            errorOf(f.requests.set(f.request, 6, 0, SetCondition.IF_VERSION, 0, 0, bytes("k"), bytes("v"))));
        assertEquals(ErrorCode.MALFORMED, errorOf(f.requests.delete(f.request, 7, -3, bytes("k"))));
        assertEquals(0, f.cache.size());
    }

    @Test
    void shouldRefuseMultiGetWhoseGroupReachesPastTheEnd()
    {
        final int length = f.requests.multiGet(f.request, 5, 0, bytes("a"), bytes("b"));
        final int groupHeader = HEADER + MultiGetRequestDecoder.BLOCK_LENGTH;
        f.request.putShort(groupHeader + 2, (short)3, ByteOrder.LITTLE_ENDIAN); // one entry more than sent
        assertEquals(ErrorCode.MALFORMED, errorOf(length));
        f.request.putShort(groupHeader + 2, (short)2, ByteOrder.LITTLE_ENDIAN);
        f.request.putShort(groupHeader, (short)50_000, ByteOrder.LITTLE_ENDIAN); // entry block past the end
        assertEquals(ErrorCode.MALFORMED, errorOf(length));
        assertEquals(ErrorCode.MALFORMED, errorOf(HEADER + MultiGetRequestDecoder.BLOCK_LENGTH + 2)); // half a group header
    }

    @Test
    void shouldCountEveryErrorByKind()
    {
        errorOf(3);
        errorOf(f.requests.set(f.request, 6, 0, SetCondition.ALWAYS, -1, 0, bytes("k"), bytes("v")));
        assertEquals(1, f.counters.errors(ErrorCode.MALFORMED));
        assertEquals(1, f.counters.errors(ErrorCode.INVALID_TTL));
        assertTrue(f.counters.get(NodeCounters.REQUESTS_SET) >= 1);
    }
}
