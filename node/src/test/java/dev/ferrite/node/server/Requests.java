package dev.ferrite.node.server;

import dev.ferrite.transport.sbe.DeleteRequestEncoder;
import dev.ferrite.transport.sbe.GetRequestEncoder;
import dev.ferrite.transport.sbe.IncrementRequestEncoder;
import dev.ferrite.transport.sbe.MessageHeaderEncoder;
import dev.ferrite.transport.sbe.MultiGetRequestEncoder;
import dev.ferrite.transport.sbe.PingRequestEncoder;
import dev.ferrite.transport.sbe.SetCondition;
import dev.ferrite.transport.sbe.SetRequestEncoder;
import dev.ferrite.transport.sbe.StatsRequestEncoder;
import dev.ferrite.transport.sbe.TopologyRequestEncoder;
import dev.ferrite.transport.sbe.TouchRequestEncoder;

import java.nio.charset.StandardCharsets;

import org.agrona.MutableDirectBuffer;

/** Encodes requests for tests; every method returns the encoded length, header included. */
public final class Requests
{
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final GetRequestEncoder get = new GetRequestEncoder();
    private final MultiGetRequestEncoder multiGet = new MultiGetRequestEncoder();
    private final SetRequestEncoder set = new SetRequestEncoder();
    private final DeleteRequestEncoder delete = new DeleteRequestEncoder();
    private final TouchRequestEncoder touch = new TouchRequestEncoder();
    private final IncrementRequestEncoder increment = new IncrementRequestEncoder();
    private final PingRequestEncoder ping = new PingRequestEncoder();
    private final TopologyRequestEncoder topology = new TopologyRequestEncoder();
    private final StatsRequestEncoder stats = new StatsRequestEncoder();

    public static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public int get(final MutableDirectBuffer buffer, final long correlationId, final int flags, final byte[] key)
    {
        get.wrapAndApplyHeader(buffer, 0, header).correlationId(correlationId);
        get.flags().wrap(buffer, get.offset() + 8);
        buffer.putByte(get.offset() + 8, (byte)flags);
        get.putKey(key, 0, key.length);
        return MessageHeaderEncoder.ENCODED_LENGTH + get.encodedLength();
    }

    public int multiGet(final MutableDirectBuffer buffer, final long correlationId, final int flags, final byte[]... keys)
    {
        multiGet.wrapAndApplyHeader(buffer, 0, header).correlationId(correlationId);
        buffer.putByte(multiGet.offset() + 8, (byte)flags);
        final MultiGetRequestEncoder.KeysEncoder group = multiGet.keysCount(keys.length);
        for (final byte[] key : keys)
        {
            group.next().putKey(key, 0, key.length);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + multiGet.encodedLength();
    }

    public int set(
        final MutableDirectBuffer buffer, final long correlationId, final int flags, final SetCondition condition,
        final long ttlMillis, final long expectedVersion, final byte[] key, final byte[] value)
    {
        set.wrapAndApplyHeader(buffer, 0, header).correlationId(correlationId).condition(condition)
            .ttlMillis(ttlMillis).expectedVersion(expectedVersion);
        buffer.putByte(set.offset() + 8, (byte)flags);
        set.putKey(key, 0, key.length).putValue(value, 0, value.length);
        return MessageHeaderEncoder.ENCODED_LENGTH + set.encodedLength();
    }

    public int delete(final MutableDirectBuffer buffer, final long correlationId, final long expectedVersion, final byte[] key)
    {
        delete.wrapAndApplyHeader(buffer, 0, header).correlationId(correlationId).expectedVersion(expectedVersion);
        buffer.putByte(delete.offset() + 8, (byte)0);
        delete.putKey(key, 0, key.length);
        return MessageHeaderEncoder.ENCODED_LENGTH + delete.encodedLength();
    }

    public int touch(final MutableDirectBuffer buffer, final long correlationId, final long ttlMillis, final byte[] key)
    {
        touch.wrapAndApplyHeader(buffer, 0, header).correlationId(correlationId).ttlMillis(ttlMillis);
        buffer.putByte(touch.offset() + 8, (byte)0);
        touch.putKey(key, 0, key.length);
        return MessageHeaderEncoder.ENCODED_LENGTH + touch.encodedLength();
    }

    public int increment(
        final MutableDirectBuffer buffer, final long correlationId, final long delta, final long initialValue,
        final long ttlMillis, final byte[] key)
    {
        increment.wrapAndApplyHeader(buffer, 0, header).correlationId(correlationId).delta(delta)
            .initialValue(initialValue).ttlMillis(ttlMillis);
        buffer.putByte(increment.offset() + 8, (byte)0);
        increment.putKey(key, 0, key.length);
        return MessageHeaderEncoder.ENCODED_LENGTH + increment.encodedLength();
    }

    public int ping(final MutableDirectBuffer buffer, final long correlationId, final long sentNanos)
    {
        ping.wrapAndApplyHeader(buffer, 0, header).correlationId(correlationId).sentNanos(sentNanos);
        return MessageHeaderEncoder.ENCODED_LENGTH + ping.encodedLength();
    }

    public int topology(final MutableDirectBuffer buffer, final long correlationId)
    {
        topology.wrapAndApplyHeader(buffer, 0, header).correlationId(correlationId);
        return MessageHeaderEncoder.ENCODED_LENGTH + topology.encodedLength();
    }

    public int stats(final MutableDirectBuffer buffer, final long correlationId)
    {
        stats.wrapAndApplyHeader(buffer, 0, header).correlationId(correlationId);
        return MessageHeaderEncoder.ENCODED_LENGTH + stats.encodedLength();
    }
}
