package dev.ferrite.client;

import dev.ferrite.transport.sbe.AuthenticateRequestEncoder;
import dev.ferrite.transport.sbe.ChallengeResponseDecoder;
import dev.ferrite.transport.sbe.DeleteRequestEncoder;
import dev.ferrite.transport.sbe.ErrorResponseDecoder;
import dev.ferrite.transport.sbe.GetRequestEncoder;
import dev.ferrite.transport.sbe.HelloRequestEncoder;
import dev.ferrite.transport.sbe.IncrementRequestEncoder;
import dev.ferrite.transport.sbe.MessageHeaderDecoder;
import dev.ferrite.transport.sbe.MessageHeaderEncoder;
import dev.ferrite.transport.sbe.MovedResponseDecoder;
import dev.ferrite.transport.sbe.MultiGetRequestEncoder;
import dev.ferrite.transport.sbe.MultiGetResponseDecoder;
import dev.ferrite.transport.sbe.PingRequestEncoder;
import dev.ferrite.transport.sbe.PongResponseDecoder;
import dev.ferrite.transport.sbe.SetCondition;
import dev.ferrite.transport.sbe.SetRequestEncoder;
import dev.ferrite.transport.sbe.StatsRequestEncoder;
import dev.ferrite.transport.sbe.StatsResponseDecoder;
import dev.ferrite.transport.sbe.TopologyRequestEncoder;
import dev.ferrite.transport.sbe.TopologyResponseDecoder;
import dev.ferrite.transport.sbe.TouchRequestEncoder;
import dev.ferrite.transport.sbe.ValueResponseDecoder;
import dev.ferrite.transport.sbe.WelcomeResponseDecoder;

import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The SBE flyweights one request slot needs: encoders for every request, decoders for every answer.
 * Flyweights hold no data of their own, so a slot keeps one of each and reuses them (no allocation per
 * call). Each encode method writes a whole message at offset 0 and returns its length; the
 * correlation id is written later by {@link PendingRequest#arm()}. Each also records whether the message
 * may be sent a second time when its session ends before the answer comes ({@link #resendable()}).
 */
final class RequestCodecs
{
    final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();

    private final HelloRequestEncoder hello = new HelloRequestEncoder();
    private final AuthenticateRequestEncoder authenticate = new AuthenticateRequestEncoder();
    private final GetRequestEncoder get = new GetRequestEncoder();
    private final MultiGetRequestEncoder multiGet = new MultiGetRequestEncoder();
    private final SetRequestEncoder set = new SetRequestEncoder();
    private final DeleteRequestEncoder delete = new DeleteRequestEncoder();
    private final TouchRequestEncoder touch = new TouchRequestEncoder();
    private final IncrementRequestEncoder increment = new IncrementRequestEncoder();
    private final PingRequestEncoder ping = new PingRequestEncoder();
    private final TopologyRequestEncoder topology = new TopologyRequestEncoder();
    private final StatsRequestEncoder stats = new StatsRequestEncoder();

    final ValueResponseDecoder value = new ValueResponseDecoder();
    final MultiGetResponseDecoder multiGetResponse = new MultiGetResponseDecoder();
    final MovedResponseDecoder moved = new MovedResponseDecoder();
    final ErrorResponseDecoder error = new ErrorResponseDecoder();
    final PongResponseDecoder pong = new PongResponseDecoder();
    final TopologyResponseDecoder topologyResponse = new TopologyResponseDecoder();
    final StatsResponseDecoder statsResponse = new StatsResponseDecoder();
    final ChallengeResponseDecoder challenge = new ChallengeResponseDecoder();
    final WelcomeResponseDecoder welcome = new WelcomeResponseDecoder();

    private boolean resendable;

    /**
     * Whether applying the last encoded request twice has the effect of applying it once: reads, plain
     * sets, plain deletes and touches. Conditional writes and increments are not: the first copy may
     * have been applied before its answer was lost.
     */
    boolean resendable()
    {
        return resendable;
    }

    int hello(final MutableDirectBuffer buffer, final long clientId, final int responseStreamId, final String responseChannel)
    {
        hello.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .clientId(clientId)
            .responseStreamId(responseStreamId)
            .responseChannel(responseChannel);
        resendable = false;
        return MessageHeaderEncoder.ENCODED_LENGTH + hello.encodedLength();
    }

    int authenticate(final MutableDirectBuffer buffer, final byte[] clientNonce, final byte[] proof)
    {
        authenticate.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .putClientNonce(clientNonce, 0, clientNonce.length)
            .putProof(proof, 0, proof.length);
        resendable = false;
        return MessageHeaderEncoder.ENCODED_LENGTH + authenticate.encodedLength();
    }

    int get(final MutableDirectBuffer buffer, final boolean proxy, final DirectBuffer key, final int keyOffset, final int keyLength)
    {
        get.wrapAndApplyHeader(buffer, 0, headerEncoder);
        get.flags().clear().proxy(proxy);
        get.putKey(key, keyOffset, keyLength);
        resendable = true;
        return MessageHeaderEncoder.ENCODED_LENGTH + get.encodedLength();
    }

    int multiGet(final MutableDirectBuffer buffer, final boolean proxy, final List<byte[]> keys)
    {
        multiGet.wrapAndApplyHeader(buffer, 0, headerEncoder);
        multiGet.flags().clear().proxy(proxy);
        final MultiGetRequestEncoder.KeysEncoder group = multiGet.keysCount(keys.size());
        for (final byte[] key : keys)
        {
            group.next().putKey(key, 0, key.length);
        }
        resendable = true;
        return MessageHeaderEncoder.ENCODED_LENGTH + multiGet.encodedLength();
    }

    int set(
        final MutableDirectBuffer buffer,
        final boolean proxy,
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final DirectBuffer value,
        final int valueOffset,
        final int valueLength,
        final long ttlMillis,
        final SetCondition condition,
        final long expectedVersion)
    {
        set.wrapAndApplyHeader(buffer, 0, headerEncoder);
        set.flags().clear().proxy(proxy);
        set.condition(condition).ttlMillis(ttlMillis).expectedVersion(expectedVersion);
        set.putKey(key, keyOffset, keyLength);
        set.putValue(value, valueOffset, valueLength);
        resendable = condition == SetCondition.ALWAYS;
        return MessageHeaderEncoder.ENCODED_LENGTH + set.encodedLength();
    }

    int delete(
        final MutableDirectBuffer buffer, final boolean proxy, final DirectBuffer key, final int keyOffset, final int keyLength, final long expectedVersion)
    {
        delete.wrapAndApplyHeader(buffer, 0, headerEncoder);
        delete.flags().clear().proxy(proxy);
        delete.expectedVersion(expectedVersion);
        delete.putKey(key, keyOffset, keyLength);
        resendable = expectedVersion == 0;
        return MessageHeaderEncoder.ENCODED_LENGTH + delete.encodedLength();
    }

    int touch(final MutableDirectBuffer buffer, final boolean proxy, final DirectBuffer key, final int keyOffset, final int keyLength, final long ttlMillis)
    {
        touch.wrapAndApplyHeader(buffer, 0, headerEncoder);
        touch.flags().clear().proxy(proxy);
        touch.ttlMillis(ttlMillis);
        touch.putKey(key, keyOffset, keyLength);
        resendable = true;
        return MessageHeaderEncoder.ENCODED_LENGTH + touch.encodedLength();
    }

    int increment(
        final MutableDirectBuffer buffer,
        final boolean proxy,
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final long delta,
        final long initialValue,
        final long ttlMillis)
    {
        increment.wrapAndApplyHeader(buffer, 0, headerEncoder);
        increment.flags().clear().proxy(proxy);
        increment.delta(delta).initialValue(initialValue).ttlMillis(ttlMillis);
        increment.putKey(key, keyOffset, keyLength);
        resendable = false;
        return MessageHeaderEncoder.ENCODED_LENGTH + increment.encodedLength();
    }

    int ping(final MutableDirectBuffer buffer, final long sentNanos)
    {
        ping.wrapAndApplyHeader(buffer, 0, headerEncoder).sentNanos(sentNanos);
        resendable = true;
        return MessageHeaderEncoder.ENCODED_LENGTH + ping.encodedLength();
    }

    int topology(final MutableDirectBuffer buffer)
    {
        topology.wrapAndApplyHeader(buffer, 0, headerEncoder);
        resendable = true;
        return MessageHeaderEncoder.ENCODED_LENGTH + topology.encodedLength();
    }

    int stats(final MutableDirectBuffer buffer)
    {
        stats.wrapAndApplyHeader(buffer, 0, headerEncoder);
        resendable = true;
        return MessageHeaderEncoder.ENCODED_LENGTH + stats.encodedLength();
    }
}
