package dev.ferrite.bench.network;

import dev.ferrite.transport.sbe.GetRequestEncoder;
import dev.ferrite.transport.sbe.MessageHeaderEncoder;
import dev.ferrite.transport.sbe.ResultCode;
import dev.ferrite.transport.sbe.SetCondition;
import dev.ferrite.transport.sbe.SetRequestEncoder;
import dev.ferrite.transport.sbe.ValueResponseEncoder;

import org.agrona.ExpandableArrayBuffer;

/**
 * The sizes of Ferrite's get and set messages for a key and value length, taken from the SBE
 * encoders themselves (header included) so the raw Aeron baseline carries exactly as many bytes
 * as Ferrite does, and follows the schema if it grows.
 *
 * @param getRequestBytes  GetRequest with the key.
 * @param getResponseBytes ValueResponse OK with the value.
 * @param setRequestBytes  SetRequest with the key and the value.
 * @param setResponseBytes ValueResponse OK with no value (the new version only).
 */
public record FerriteMessageSizes(int getRequestBytes, int getResponseBytes, int setRequestBytes, int setResponseBytes)
{
    public static FerriteMessageSizes of(final int keyBytes, final int valueBytes)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(keyBytes + valueBytes + 256);
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final byte[] key = new byte[keyBytes];
        final byte[] value = new byte[valueBytes];
        final int headerBytes = MessageHeaderEncoder.ENCODED_LENGTH;

        final int getRequest = headerBytes + new GetRequestEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(1).putKey(key, 0, keyBytes).encodedLength();
        final int getResponse = headerBytes + new ValueResponseEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(1).result(ResultCode.OK).version(1).ttlRemainingMillis(-1).numericValue(0)
            .putValue(value, 0, valueBytes).encodedLength();
        final int setRequest = headerBytes + new SetRequestEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(1).condition(SetCondition.ALWAYS).ttlMillis(0).expectedVersion(0)
            .putKey(key, 0, keyBytes).putValue(value, 0, valueBytes).encodedLength();
        final int setResponse = headerBytes + new ValueResponseEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(1).result(ResultCode.OK).version(1).ttlRemainingMillis(-1).numericValue(0)
            .putValue(value, 0, 0).encodedLength();
        return new FerriteMessageSizes(getRequest, getResponse, setRequest, setResponse);
    }
}
