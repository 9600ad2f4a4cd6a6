package dev.ferrite.node.proxy;

import dev.ferrite.node.server.Authenticator;
import dev.ferrite.node.server.Channels;
import dev.ferrite.node.server.NodeCounters;
import dev.ferrite.node.server.RequestHandler;
import dev.ferrite.node.server.ResponseWriter;
import dev.ferrite.node.server.Topology;
import dev.ferrite.transport.ProtocolConstants;
import dev.ferrite.transport.aeron.TermLengths;
import dev.ferrite.transport.routing.NodeEndpoint;
import dev.ferrite.transport.sbe.AuthenticateRequestEncoder;
import dev.ferrite.transport.sbe.ChallengeResponseDecoder;
import dev.ferrite.transport.sbe.ErrorCode;
import dev.ferrite.transport.sbe.ErrorResponseDecoder;
import dev.ferrite.transport.sbe.HelloRequestEncoder;
import dev.ferrite.transport.sbe.MessageHeaderDecoder;
import dev.ferrite.transport.sbe.MessageHeaderEncoder;
import dev.ferrite.transport.sbe.WelcomeResponseDecoder;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.exceptions.AeronException;
import io.aeron.logbuffer.Header;

import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Proxying: forwards requests for slots this node does not own to their owner and relays the
 * answers. The node acts as a client of its peers: one response subscription of its own, one
 * session per peer (hello, and authenticate with the shared secret when one is configured), and
 * correlation ids rewritten so answers from all peers can be told apart.
 *
 * <p>Every forward waits in a table until its answer comes or its deadline passes; then the client
 * gets {@code ErrorResponse(UNAVAILABLE)}. Deadlines are checked in forward order, which is
 * deadline order because the timeout is fixed.
 *
 * <p>Threading: driven by the server agent's duty cycle ({@link #doWork}) on one thread; never blocks
 * (publications are added asynchronously, offers are retried a bounded number of times).
 */
public final class PeerForwarder implements AutoCloseable
{
    /** A peer session that has not opened in this time is dropped and retried later. */
    static final long HANDSHAKE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);
    /** Wait this long after a failed peer session before trying that peer again. */
    static final long RETRY_BACKOFF_NS = TimeUnit.MILLISECONDS.toNanos(200);
    /** Requests held for one peer while its session opens. */
    static final int MAX_BACKLOG_BYTES = 8 * 1024 * 1024;
    static final int MAX_OFFER_ATTEMPTS = 16;
    private static final int FRAGMENT_LIMIT = 16;
    private static final int HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;
    private static final byte[] UNAVAILABLE = "the slot's owner did not answer in time".getBytes();

    private final Aeron aeron;
    private final Subscription responses;
    private final String responseChannel;
    private final Topology topology;
    private final NodeCounters counters;
    private final Authenticator authenticator;
    private final long forwardTimeoutNs;
    private final ResponseRelay relay;
    private final long clientId = ThreadLocalRandom.current().nextLong();

    private final Int2ObjectHashMap<PeerLink> links = new Int2ObjectHashMap<>();
    private final ArrayList<PeerLink> linkList = new ArrayList<>();
    private final Long2ObjectHashMap<PendingForward> pending = new Long2ObjectHashMap<>();
    private final LongArrayQueue forwardOrder = new LongArrayQueue();
    private final ArrayDeque<PendingForward> pool = new ArrayDeque<>();
    private final FragmentAssembler assembler = new FragmentAssembler(this::onResponse);
    private final UnsafeBuffer sendBuffer = new UnsafeBuffer(new byte[TermLengths.MAX_MESSAGE_LENGTH]);
    private final UnsafeBuffer handshakeBuffer = new UnsafeBuffer(new byte[1024 + 4096]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final HelloRequestEncoder helloEncoder = new HelloRequestEncoder();
    private final AuthenticateRequestEncoder authenticateEncoder = new AuthenticateRequestEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ChallengeResponseDecoder challengeDecoder = new ChallengeResponseDecoder();
    private final WelcomeResponseDecoder welcomeDecoder = new WelcomeResponseDecoder();
    private final ErrorResponseDecoder errorDecoder = new ErrorResponseDecoder();
    private final ResponseWriter errorWriter;
    private final byte[] serverNonce = new byte[ProtocolConstants.NONCE_LENGTH];
    private final byte[] clientNonce = new byte[ProtocolConstants.NONCE_LENGTH];
    private final byte[] proof = new byte[Authenticator.PROOF_LENGTH];
    private long nextCorrelationId = 1;
    private long nowNs;

    /**
     * @param responses       this node's subscription for its peers' answers (already bound).
     * @param responseChannel that subscription's channel with its port resolved, as peers must publish to it.
     * @param authenticator   null when no shared secret is configured.
     */
    public PeerForwarder(
        final Aeron aeron, final Subscription responses, final String responseChannel, final Topology topology,
        final NodeCounters counters, final Authenticator authenticator, final long forwardTimeoutNs,
        final ResponseRelay relay)
    {
        this.aeron = aeron;
        this.responses = responses;
        this.responseChannel = responseChannel;
        this.topology = topology;
        this.counters = counters;
        this.authenticator = authenticator;
        this.forwardTimeoutNs = forwardTimeoutNs;
        this.relay = relay;
        this.errorWriter = new ResponseWriter(counters);
    }

    /** Forwards in flight; the node waits for zero before it stops. */
    public int pendingCount()
    {
        return pending.size();
    }

    /**
     * Forwards one request to the owner of its slot.
     *
     * @return false when it cannot be sent now (owner unknown, or its session failed recently);
     *         the caller answers the client itself.
     */
    public boolean forward(
        final int clientSessionId, final long clientCorrelationId, final int ownerNodeId,
        final DirectBuffer request, final int offset, final int length)
    {
        final PeerLink link = linkFor(ownerNodeId);
        if (link == null || length > sendBuffer.capacity())
        {
            return false;
        }
        final long forwardId = nextCorrelationId++;
        sendBuffer.putBytes(0, request, offset, length);
        sendBuffer.putLong(HEADER_LENGTH + RequestHandler.CORRELATION_ID_OFFSET, forwardId, ByteOrder.LITTLE_ENDIAN);
        final int flagsIndex = HEADER_LENGTH + RequestHandler.FLAGS_OFFSET;
        sendBuffer.putByte(flagsIndex, (byte)(sendBuffer.getByte(flagsIndex) | RequestHandler.FLAG_FORWARDED));

        if (link.state == PeerLink.State.OPEN)
        {
            if (!offer(link.publication, sendBuffer, 0, length))
            {
                return false;
            }
        }
        else
        {
            if (link.backlogLength + 4 + length > MAX_BACKLOG_BYTES)
            {
                return false;
            }
            link.backlog.putInt(link.backlogLength, length);
            link.backlog.putBytes(link.backlogLength + 4, sendBuffer, 0, length);
            link.backlogLength += 4 + length;
        }
        counters.increment(NodeCounters.FORWARDED);
        final PendingForward forward = pool.isEmpty() ? new PendingForward() : pool.poll();
        pending.put(forwardId, forward.set(forwardId, clientCorrelationId, clientSessionId, nowNs + forwardTimeoutNs));
        forwardOrder.addLong(forwardId);
        return true;
    }

    /** One duty cycle: read peers' answers, move peer sessions on, time out forwards. */
    public int doWork(final long nowNs)
    {
        this.nowNs = nowNs;
        int work = responses.poll(assembler, FRAGMENT_LIMIT);
        for (int i = 0, size = linkList.size(); i < size; i++)
        {
            work += progress(linkList.get(i), nowNs);
        }
        work += expireForwards(nowNs);
        return work;
    }

    private PeerLink linkFor(final int nodeId)
    {
        final NodeEndpoint endpoint = topology.view().table().node(nodeId);
        if (endpoint == null)
        {
            return null;
        }
        PeerLink link = links.get(nodeId);
        if (link != null && !link.endpoint.equals(endpoint))
        {
            removeLink(nodeId, link); // the topology moved the node: its old session is of no use
            link = null;
        }
        if (link != null && link.state == PeerLink.State.FAILED)
        {
            if (nowNs - link.failedAtNs < RETRY_BACKOFF_NS)
            {
                return null;
            }
            removeLink(nodeId, link);
            link = null;
        }
        if (link == null)
        {
            try
            {
                final long registrationId = aeron.asyncAddExclusivePublication(
                    Channels.withLargeTerms(endpoint.requestChannel()), ProtocolConstants.REQUEST_STREAM_ID);
                link = new PeerLink(endpoint, registrationId, nextCorrelationId++, nowNs);
            }
            catch (final AeronException | IllegalArgumentException ex)
            {
                return null;
            }
            links.put(nodeId, link);
            linkList.add(link);
        }
        return link;
    }

    private void removeLink(final int nodeId, final PeerLink link)
    {
        link.close();
        links.remove(nodeId);
        linkList.remove(link);
    }

    private int progress(final PeerLink link, final long nowNs)
    {
        if (link.state == PeerLink.State.OPEN || link.state == PeerLink.State.FAILED)
        {
            return 0;
        }
        if (nowNs - link.createdNs > HANDSHAKE_TIMEOUT_NS)
        {
            fail(link);
            return 1;
        }
        if (link.state != PeerLink.State.CONNECTING)
        {
            return 0;
        }
        if (link.publication == null)
        {
            try
            {
                link.publication = aeron.getExclusivePublication(link.registrationId);
            }
            catch (final AeronException ex)
            {
                fail(link);
                return 1;
            }
        }
        if (link.publication == null || !link.publication.isConnected())
        {
            return 0;
        }
        helloEncoder.wrapAndApplyHeader(handshakeBuffer, 0, headerEncoder)
            .correlationId(link.helloCorrelationId)
            .clientId(clientId)
            .responseStreamId(ProtocolConstants.RESPONSE_STREAM_ID)
            .responseChannel(responseChannel);
        if (offer(link.publication, handshakeBuffer, 0, HEADER_LENGTH + helloEncoder.encodedLength()))
        {
            link.state = PeerLink.State.HELLO_SENT;
        }
        return 1;
    }

    private void fail(final PeerLink link)
    {
        link.close();
        link.backlogLength = 0; // those forwards time out and are answered UNAVAILABLE
        link.state = PeerLink.State.FAILED;
        link.failedAtNs = nowNs;
    }

    private void onResponse(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (length < HEADER_LENGTH + 8)
        {
            return;
        }
        headerDecoder.wrap(buffer, offset);
        final int blockLength = headerDecoder.blockLength();
        if (headerDecoder.schemaId() != MessageHeaderDecoder.SCHEMA_ID || blockLength < 8 || blockLength > length - HEADER_LENGTH)
        {
            return;
        }
        final long correlationId = buffer.getLong(offset + HEADER_LENGTH, ByteOrder.LITTLE_ENDIAN);
        final PendingForward forward = pending.remove(correlationId);
        if (forward != null)
        {
            if (length <= sendBuffer.capacity())
            {
                sendBuffer.putBytes(0, buffer, offset, length);
                sendBuffer.putLong(HEADER_LENGTH, forward.clientCorrelationId, ByteOrder.LITTLE_ENDIAN);
                relay.relay(forward.clientSessionId, sendBuffer, 0, length);
            }
            pool.add(forward);
            return;
        }
        final PeerLink link = linkByHandshake(correlationId);
        if (link == null)
        {
            return; // an answer that came after its forward timed out
        }
        switch (headerDecoder.templateId())
        {
            case WelcomeResponseDecoder.TEMPLATE_ID:
                open(link);
                break;

            case ChallengeResponseDecoder.TEMPLATE_ID:
                onChallenge(link, buffer, offset, length, blockLength);
                break;

            default:
                fail(link); // refused: wrong secret, or the peer is stopping
                break;
        }
    }

    private void onChallenge(
        final PeerLink link, final DirectBuffer buffer, final int offset, final int length, final int blockLength)
    {
        if (authenticator == null || link.state != PeerLink.State.HELLO_SENT ||
            blockLength < ChallengeResponseDecoder.BLOCK_LENGTH)
        {
            fail(link);
            return;
        }
        challengeDecoder.wrap(buffer, offset + HEADER_LENGTH, blockLength, headerDecoder.version());
        final int lengthAt = challengeDecoder.limit();
        if (lengthAt + 4 > offset + length ||
            buffer.getInt(lengthAt, ByteOrder.LITTLE_ENDIAN) != ProtocolConstants.NONCE_LENGTH ||
            lengthAt + 4 + ProtocolConstants.NONCE_LENGTH > offset + length)
        {
            fail(link);
            return;
        }
        buffer.getBytes(lengthAt + 4, serverNonce, 0, ProtocolConstants.NONCE_LENGTH);
        authenticator.nextNonce(clientNonce);
        final UnsafeBuffer nonce = new UnsafeBuffer(clientNonce); // once per peer session
        authenticator.proof(serverNonce, nonce, 0, clientNonce.length, clientId, proof, 0);
        authenticateEncoder.wrapAndApplyHeader(handshakeBuffer, 0, headerEncoder)
            .correlationId(link.helloCorrelationId)
            .putClientNonce(clientNonce, 0, clientNonce.length)
            .putProof(proof, 0, proof.length);
        if (offer(link.publication, handshakeBuffer, 0, HEADER_LENGTH + authenticateEncoder.encodedLength()))
        {
            link.state = PeerLink.State.AUTH_SENT;
        }
        else
        {
            fail(link);
        }
    }

    private void open(final PeerLink link)
    {
        link.state = PeerLink.State.OPEN;
        int position = 0;
        while (position < link.backlogLength)
        {
            final int length = link.backlog.getInt(position);
            offer(link.publication, link.backlog, position + 4, length); // a lost one times out
            position += 4 + length;
        }
        link.backlogLength = 0;
    }

    private PeerLink linkByHandshake(final long correlationId)
    {
        for (int i = 0, size = linkList.size(); i < size; i++)
        {
            final PeerLink link = linkList.get(i);
            if (link.helloCorrelationId == correlationId)
            {
                return link;
            }
        }
        return null;
    }

    private int expireForwards(final long nowNs)
    {
        int expired = 0;
        while (!forwardOrder.isEmpty())
        {
            final long forwardId = forwardOrder.peekLong();
            final PendingForward forward = pending.get(forwardId);
            if (forward == null)
            {
                forwardOrder.pollLong(); // answered already
                continue;
            }
            if (forward.deadlineNs - nowNs > 0)
            {
                break;
            }
            forwardOrder.pollLong();
            pending.remove(forwardId);
            counters.increment(NodeCounters.FORWARD_TIMEOUTS);
            final int length = errorWriter.error(
                sendBuffer, 0, forward.clientCorrelationId, ErrorCode.UNAVAILABLE, UNAVAILABLE);
            relay.relay(forward.clientSessionId, sendBuffer, 0, length);
            pool.add(forward);
            expired++;
        }
        return expired;
    }

    private boolean offer(final ExclusivePublication publication, final DirectBuffer buffer, final int offset, final int length)
    {
        for (int attempt = 0; attempt < MAX_OFFER_ATTEMPTS && publication != null; attempt++)
        {
            final long result = publication.offer(buffer, offset, length);
            if (result > 0)
            {
                return true;
            }
            if (result != Publication.BACK_PRESSURED && result != Publication.ADMIN_ACTION)
            {
                return false;
            }
            Thread.yield();
        }
        return false;
    }

    @Override
    public void close()
    {
        for (final PeerLink link : linkList)
        {
            link.close();
        }
        linkList.clear();
        links.clear();
    }
}
