package dev.ferrite.node;

import dev.ferrite.node.server.Authenticator;
import dev.ferrite.node.server.Channels;
import dev.ferrite.transport.ProtocolConstants;
import dev.ferrite.transport.aeron.TermLengths;
import dev.ferrite.transport.routing.NodeEndpoint;
import dev.ferrite.transport.sbe.AuthenticateRequestEncoder;
import dev.ferrite.transport.sbe.ChallengeResponseDecoder;
import dev.ferrite.transport.sbe.HelloRequestEncoder;
import dev.ferrite.transport.sbe.MessageHeaderDecoder;
import dev.ferrite.transport.sbe.MessageHeaderEncoder;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;

import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A minimal, test-only client of one node: sends encoded requests and waits for the answer with a
 * given correlation id. Single-threaded; polls only inside {@link #await} and {@link #poll}.
 */
public final class TestClient implements AutoCloseable
{
    static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    final long clientId = ThreadLocalRandom.current().nextLong();
    final UnsafeBuffer sendBuffer = new UnsafeBuffer(new byte[TermLengths.MAX_MESSAGE_LENGTH]);
    private final Aeron aeron;
    private final Subscription responses;
    private final ExclusivePublication publication;
    private final String responseChannel;
    private final Map<Long, UnsafeBuffer> answers = new HashMap<>();
    private final FragmentAssembler assembler = new FragmentAssembler(this::onAnswer);
    private long nextCorrelationId = 1;

    public TestClient(final String aeronDirectoryName, final NodeEndpoint node)
    {
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDirectoryName));
        responses = aeron.addSubscription("aeron:udp?endpoint=127.0.0.1:0", ProtocolConstants.RESPONSE_STREAM_ID);
        String resolved;
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while ((resolved = responses.tryResolveChannelEndpointPort()) == null)
        {
            check(deadline, "resolve response port");
            Thread.yield();
        }
        responseChannel = resolved;
        publication = aeron.addExclusivePublication(
            Channels.withLargeTerms(node.requestChannel()), ProtocolConstants.REQUEST_STREAM_ID);
        while (!publication.isConnected())
        {
            check(deadline, "connect to " + node);
            Thread.yield();
        }
    }

    public long nextCorrelationId()
    {
        return nextCorrelationId++;
    }

    /** Sends the first {@code length} bytes of {@link #sendBuffer}. */
    public void send(final int length)
    {
        send(sendBuffer, length);
    }

    public void send(final DirectBuffer buffer, final int length)
    {
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while (publication.offer(buffer, 0, length) < 0)
        {
            check(deadline, "offer");
            Thread.yield();
        }
    }

    /** Sends and waits for the answer; returns it (header at 0) or fails the test after 10 s. */
    public UnsafeBuffer call(final long correlationId, final int length)
    {
        send(length);
        return await(correlationId, TIMEOUT_NS);
    }

    /** @return the answer, or null after the timeout. */
    public UnsafeBuffer await(final long correlationId, final long timeoutNs)
    {
        final long deadline = System.nanoTime() + timeoutNs;
        while (!answers.containsKey(correlationId))
        {
            if (System.nanoTime() - deadline > 0)
            {
                return null;
            }
            if (responses.poll(assembler, 16) == 0)
            {
                Thread.yield();
            }
        }
        return answers.remove(correlationId);
    }

    public int poll()
    {
        return responses.poll(assembler, 16);
    }

    public static int templateId(final DirectBuffer answer)
    {
        return new MessageHeaderDecoder().wrap(answer, 0).templateId();
    }

    /** Sends a hello; returns the answer (welcome, or challenge when the node has a secret). */
    public UnsafeBuffer hello()
    {
        final long correlationId = nextCorrelationId();
        final HelloRequestEncoder hello = new HelloRequestEncoder()
            .wrapAndApplyHeader(sendBuffer, 0, new MessageHeaderEncoder())
            .correlationId(correlationId)
            .clientId(clientId)
            .responseStreamId(ProtocolConstants.RESPONSE_STREAM_ID)
            .responseChannel(responseChannel);
        return call(correlationId, MessageHeaderEncoder.ENCODED_LENGTH + hello.encodedLength());
    }

    /** Answers a challenge with a proof made from {@code secret}; returns the node's answer. */
    public UnsafeBuffer authenticate(final DirectBuffer challenge, final String secret)
    {
        final ChallengeResponseDecoder decoder =
            new ChallengeResponseDecoder().wrapAndApplyHeader(challenge, 0, new MessageHeaderDecoder());
        final byte[] serverNonce = new byte[decoder.serverNonceLength()];
        decoder.getServerNonce(serverNonce, 0, serverNonce.length);
        final byte[] clientNonce = new byte[ProtocolConstants.NONCE_LENGTH];
        ThreadLocalRandom.current().nextBytes(clientNonce);
        final byte[] proof = new byte[Authenticator.PROOF_LENGTH];
        new Authenticator(secret).proof(serverNonce, new UnsafeBuffer(clientNonce), 0, clientNonce.length, clientId, proof, 0);
        final long correlationId = nextCorrelationId();
        final AuthenticateRequestEncoder authenticate = new AuthenticateRequestEncoder()
            .wrapAndApplyHeader(sendBuffer, 0, new MessageHeaderEncoder())
            .correlationId(correlationId)
            .putClientNonce(clientNonce, 0, clientNonce.length)
            .putProof(proof, 0, proof.length);
        return call(correlationId, MessageHeaderEncoder.ENCODED_LENGTH + authenticate.encodedLength());
    }

    private void onAnswer(final DirectBuffer buffer, final int offset, final int length, final io.aeron.logbuffer.Header header)
    {
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[length]);
        copy.putBytes(0, buffer, offset, length);
        answers.put(copy.getLong(MessageHeaderEncoder.ENCODED_LENGTH, ByteOrder.LITTLE_ENDIAN), copy);
    }

    private static void check(final long deadline, final String what)
    {
        if (System.nanoTime() - deadline > 0)
        {
            throw new AssertionError("timed out: " + what);
        }
    }

    @Override
    public void close()
    {
        aeron.close();
    }
}
