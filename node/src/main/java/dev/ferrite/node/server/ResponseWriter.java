package dev.ferrite.node.server;

import dev.ferrite.transport.sbe.ErrorCode;
import dev.ferrite.transport.sbe.ErrorResponseEncoder;
import dev.ferrite.transport.sbe.MessageHeaderEncoder;
import dev.ferrite.transport.sbe.MovedResponseEncoder;
import dev.ferrite.transport.sbe.ResultCode;
import dev.ferrite.transport.sbe.ValueResponseEncoder;

import java.nio.charset.StandardCharsets;

import org.agrona.MutableDirectBuffer;

/**
 * Encodes the answers most requests share (value, error, MOVED) with reused encoders. Every method
 * returns the encoded length, header included. Not thread-safe: one per handler.
 */
public final class ResponseWriter
{
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final ValueResponseEncoder value = new ValueResponseEncoder();
    private final ErrorResponseEncoder error = new ErrorResponseEncoder();
    private final MovedResponseEncoder moved = new MovedResponseEncoder();
    private final NodeCounters counters;

    public ResponseWriter(final NodeCounters counters)
    {
        this.counters = counters;
    }

    static byte[] text(final String message)
    {
        return message.getBytes(StandardCharsets.UTF_8);
    }

    MessageHeaderEncoder header()
    {
        return header;
    }

    public int error(
        final MutableDirectBuffer buffer, final int offset, final long correlationId, final ErrorCode code, final byte[] message)
    {
        counters.incrementError(code);
        error.wrapAndApplyHeader(buffer, offset, header)
            .correlationId(correlationId)
            .code(code)
            .putMessage(message, 0, message.length);
        return MessageHeaderEncoder.ENCODED_LENGTH + error.encodedLength();
    }

    int moved(
        final MutableDirectBuffer buffer, final int offset, final long correlationId, final int slot,
        final int ownerNodeId, final long epoch, final byte[] ownerEndpointUtf8)
    {
        counters.increment(NodeCounters.MOVED_SENT);
        moved.wrapAndApplyHeader(buffer, offset, header)
            .correlationId(correlationId)
            .slot(slot)
            .ownerNodeId(ownerNodeId)
            .topologyEpoch(epoch)
            .putOwnerEndpoint(ownerEndpointUtf8, 0, ownerEndpointUtf8.length);
        return MessageHeaderEncoder.ENCODED_LENGTH + moved.encodedLength();
    }

    /** A value answer without a value. */
    int result(
        final MutableDirectBuffer buffer, final int offset, final long correlationId, final ResultCode result,
        final long version, final long ttlRemainingMillis, final long numericValue)
    {
        beginValue(buffer, offset, correlationId, result, version, ttlRemainingMillis, numericValue);
        value.putValue(buffer, 0, 0);
        return MessageHeaderEncoder.ENCODED_LENGTH + value.encodedLength();
    }

    /**
     * Starts a value answer; the caller writes the value's var data at {@link ValueResponseEncoder#limit()}
     * and finishes with {@link #endValue}.
     */
    ValueResponseEncoder beginValue(
        final MutableDirectBuffer buffer, final int offset, final long correlationId, final ResultCode result,
        final long version, final long ttlRemainingMillis, final long numericValue)
    {
        return value.wrapAndApplyHeader(buffer, offset, header)
            .correlationId(correlationId)
            .result(result)
            .version(version)
            .ttlRemainingMillis(ttlRemainingMillis)
            .numericValue(numericValue);
    }

    int endValue(final int limit)
    {
        value.limit(limit);
        return MessageHeaderEncoder.ENCODED_LENGTH + value.encodedLength();
    }
}
