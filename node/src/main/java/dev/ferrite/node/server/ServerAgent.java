package dev.ferrite.node.server;

import dev.ferrite.node.proxy.PeerForwarder;
import dev.ferrite.transport.aeron.TermLengths;
import dev.ferrite.transport.sbe.AuthenticateRequestDecoder;
import dev.ferrite.transport.sbe.ChallengeResponseEncoder;
import dev.ferrite.transport.sbe.ErrorCode;
import dev.ferrite.transport.sbe.HelloRequestDecoder;
import dev.ferrite.transport.sbe.MessageHeaderEncoder;
import dev.ferrite.transport.sbe.WelcomeResponseEncoder;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.exceptions.AeronException;
import io.aeron.logbuffer.Header;

import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The node's server: takes every request on one subscription, keeps one session per client
 * (keyed by the Aeron session id of the client's image), runs the handshake of docs/protocol.md,
 * serves requests through the {@link RequestHandler}, and hands requests for other nodes' slots to
 * the {@link PeerForwarder}.
 *
 * <p>Threading and progress: everything runs on the one agent thread, including the Aeron client's
 * conductor (the Aeron client is built with {@code useConductorAgentInvoker(true)} and invoked here),
 * so image callbacks, sessions and the forward table need no locks. No step blocks: publications
 * are added asynchronously, offers are retried a bounded number of times and then dropped.
 * {@link #requestStop()} and {@link #isDrained()} are the only cross-thread calls (volatile flags).
 */
public final class ServerAgent implements Agent
{
    /** A hello whose response publication is not connected in this time is forgotten. */
    static final long HELLO_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);
    private static final int FRAGMENT_LIMIT = 64;
    /** Sessions a node keeps at most; a hello beyond it is dropped and counted as UNAVAILABLE. */
    static final int MAX_SESSIONS = 4096;

    private static final byte[] MALFORMED_HELLO = ResponseWriter.text("malformed hello or authenticate");
    private static final byte[] NOT_AUTHENTICATED = ResponseWriter.text("open a session first: hello, then authenticate");
    private static final byte[] AUTH_FAILED = ResponseWriter.text("authentication failed");
    private static final byte[] STOPPING = ResponseWriter.text("the node is stopping");
    private static final byte[] OWNER_UNREACHABLE = ResponseWriter.text("the slot's owner cannot be reached now");

    private final Aeron aeron;
    private final AgentInvoker conductorInvoker;
    private final Subscription requests;
    private final RequestHandler handler;
    private final Authenticator authenticator;
    private final NodeCounters counters;
    private final Topology topology;
    private final int nodeId;
    private final int maxKeyLength;
    private final int maxValueLength;
    private final ResponsePublisher publisher;
    private final HandshakeDecoder handshake = new HandshakeDecoder();
    private final FragmentAssembler assembler = new FragmentAssembler(this::onFragment);
    private final Int2ObjectHashMap<ClientSession> sessions = new Int2ObjectHashMap<>();
    private final ArrayList<ClientSession> awaitingPublication = new ArrayList<>();
    private final IntArrayList goneImages = new IntArrayList();
    private final UnsafeBuffer responseBuffer = new UnsafeBuffer(new byte[TermLengths.MAX_MESSAGE_LENGTH]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final WelcomeResponseEncoder welcomeEncoder = new WelcomeResponseEncoder();
    private final ChallengeResponseEncoder challengeEncoder = new ChallengeResponseEncoder();
    private final NanoClock nanoClock = SystemNanoClock.INSTANCE;
    private PeerForwarder forwarder;
    private volatile boolean stopRequested;
    private volatile boolean drained;

    /**
     * @param conductorInvoker the Aeron client's conductor invoker, or null when it runs its own thread
     *                         (then {@link #onImageUnavailable} must not be used).
     * @param authenticator    null when no shared secret is configured.
     */
    public ServerAgent(
        final Aeron aeron, final AgentInvoker conductorInvoker, final Subscription requests, final RequestHandler handler,
        final Authenticator authenticator, final NodeCounters counters, final Topology topology, final int nodeId,
        final int maxKeyLength, final int maxValueLength)
    {
        this.aeron = aeron;
        this.conductorInvoker = conductorInvoker;
        this.requests = requests;
        this.handler = handler;
        this.authenticator = authenticator;
        this.counters = counters;
        this.topology = topology;
        this.nodeId = nodeId;
        this.maxKeyLength = maxKeyLength;
        this.maxValueLength = maxValueLength;
        this.publisher = new ResponsePublisher(counters);
    }

    /** Set once before the agent starts (the forwarder relays answers through this agent). */
    public void forwarder(final PeerForwarder forwarder)
    {
        this.forwarder = forwarder;
    }

    /** Image-unavailable callback for the request subscription; runs on this agent's thread via the invoker. */
    public void onImageUnavailable(final Image image)
    {
        goneImages.addInt(image.sessionId()); // closing publications inside an Aeron callback is not allowed
    }

    /** Stop taking requests (they are answered STOPPING, not applied); in-flight forwards are still relayed. */
    public void requestStop()
    {
        stopRequested = true;
    }

    /** True once stop was requested and no forward is in flight. */
    public boolean isDrained()
    {
        return drained;
    }

    @Override
    public String roleName()
    {
        return "ferrite-node-" + nodeId;
    }

    @Override
    public int doWork()
    {
        int work = conductorInvoker != null ? conductorInvoker.invoke() : 0;
        final long nowNs = nanoClock.nanoTime();
        work += requests.poll(assembler, FRAGMENT_LIMIT);
        work += closeGoneSessions();
        work += progressHandshakes(nowNs);
        work += forwarder.doWork(nowNs);
        if (stopRequested && forwarder.pendingCount() == 0)
        {
            drained = true;
        }
        return work;
    }

    @Override
    public void onClose()
    {
        sessions.forEach((id, session) -> session.close());
        sessions.clear();
        awaitingPublication.clear();
        forwarder.close();
    }

    /** Where the forwarder delivers an owner's answer to a client. */
    public void relay(final int clientSessionId, final DirectBuffer buffer, final int offset, final int length)
    {
        final ClientSession session = sessions.get(clientSessionId);
        if (session == null || session.publication == null)
        {
            counters.increment(NodeCounters.RESPONSES_DROPPED);
            return;
        }
        publisher.offer(session.publication, buffer, offset, length);
    }

    private void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        counters.add(NodeCounters.BYTES_IN, length);
        final int sessionId = header.sessionId();
        final int templateId = handler.peek(buffer, offset, length);
        if (templateId == HelloRequestDecoder.TEMPLATE_ID)
        {
            onHello(sessionId, buffer, offset, length);
            return;
        }
        if (templateId == AuthenticateRequestDecoder.TEMPLATE_ID)
        {
            onAuthenticate(sessionId, buffer, offset, length);
            return;
        }
        final ClientSession session = sessions.get(sessionId);
        if (session == null || session.publication == null)
        {
            counters.increment(NodeCounters.REQUESTS_DROPPED); // no reply address known yet
            counters.incrementError(ErrorCode.NOT_AUTHENTICATED);
            return;
        }
        if (!session.isOpen())
        {
            reply(session, handler.error(responseBuffer, 0, ErrorCode.NOT_AUTHENTICATED, NOT_AUTHENTICATED));
            return;
        }
        if (stopRequested)
        {
            reply(session, handler.error(responseBuffer, 0, ErrorCode.STOPPING, STOPPING));
            return;
        }
        final int answerLength = handler.handle(buffer, offset, length, responseBuffer, 0);
        if (answerLength == RequestHandler.FORWARD)
        {
            if (!forwarder.forward(sessionId, handler.correlationId(), handler.forwardNodeId(), buffer, offset, length))
            {
                reply(session, handler.error(responseBuffer, 0, ErrorCode.UNAVAILABLE, OWNER_UNREACHABLE));
            }
            return;
        }
        reply(session, answerLength);
    }

    private void onHello(final int sessionId, final DirectBuffer buffer, final int offset, final int length)
    {
        counters.increment(NodeCounters.REQUESTS_HELLO);
        final ClientSession previous = sessions.get(sessionId);
        if (!handshake.decodeHello(buffer, offset, length))
        {
            replyIfPossible(previous, ErrorCode.MALFORMED, MALFORMED_HELLO);
            return;
        }
        if (stopRequested)
        {
            replyIfPossible(previous, ErrorCode.STOPPING, STOPPING);
            return;
        }
        if (previous != null)
        {
            forget(previous); // a second hello restarts the session
        }
        else if (sessions.size() >= MAX_SESSIONS)
        {
            counters.incrementError(ErrorCode.UNAVAILABLE);
            return;
        }
        final long registrationId;
        try
        {
            registrationId = aeron.asyncAddExclusivePublication(
                Channels.withLargeTerms(handshake.responseChannel()), handshake.responseStreamId());
        }
        catch (final RuntimeException ex)
        {
            counters.incrementError(ErrorCode.MALFORMED); // an unusable channel: nowhere to answer
            return;
        }
        final ClientSession session = new ClientSession(
            sessionId, handshake.clientId(), handshake.correlationId(), registrationId, nanoClock.nanoTime() + HELLO_TIMEOUT_NS);
        sessions.put(sessionId, session);
        awaitingPublication.add(session);
    }

    private void onAuthenticate(final int sessionId, final DirectBuffer buffer, final int offset, final int length)
    {
        counters.increment(NodeCounters.REQUESTS_AUTHENTICATE);
        final ClientSession session = sessions.get(sessionId);
        if (session == null || session.publication == null)
        {
            counters.increment(NodeCounters.REQUESTS_DROPPED);
            counters.incrementError(ErrorCode.NOT_AUTHENTICATED);
            return;
        }
        if (!handshake.decodeAuthenticate(buffer, offset, length))
        {
            replyIfPossible(session, ErrorCode.MALFORMED, MALFORMED_HELLO);
            return;
        }
        final long correlationId = handshake.correlationId();
        if (authenticator == null || session.state != ClientSession.State.CHALLENGED ||
            !authenticator.verify(session.serverNonce, buffer, handshake.clientNonceOffset(), handshake.clientNonceLength(),
                session.clientId, handshake.proofOffset(), handshake.proofLength()))
        {
            session.state = ClientSession.State.REFUSED;
            reply(session, handler.errorFor(responseBuffer, 0, correlationId, ErrorCode.AUTHENTICATION_FAILED, AUTH_FAILED));
            return;
        }
        session.state = ClientSession.State.OPEN;
        counters.increment(NodeCounters.SESSIONS_OPENED);
        sendWelcome(session, correlationId);
    }

    private int progressHandshakes(final long nowNs)
    {
        int work = 0;
        for (int i = awaitingPublication.size() - 1; i >= 0; i--)
        {
            final ClientSession session = awaitingPublication.get(i);
            if (session.publication == null)
            {
                try
                {
                    session.publication = aeron.getExclusivePublication(session.registrationId);
                }
                catch (final AeronException ex)
                {
                    awaitingPublication.remove(i);
                    sessions.remove(session.sessionId);
                    work++;
                    continue;
                }
            }
            if (session.publication != null && session.publication.isConnected())
            {
                awaitingPublication.remove(i);
                if (authenticator == null)
                {
                    session.state = ClientSession.State.OPEN;
                    counters.increment(NodeCounters.SESSIONS_OPENED);
                    sendWelcome(session, session.helloCorrelationId);
                }
                else
                {
                    session.state = ClientSession.State.CHALLENGED;
                    authenticator.nextNonce(session.serverNonce);
                    challengeEncoder.wrapAndApplyHeader(responseBuffer, 0, headerEncoder)
                        .correlationId(session.helloCorrelationId)
                        .nodeId(nodeId)
                        .putServerNonce(session.serverNonce, 0, session.serverNonce.length);
                    reply(session, MessageHeaderEncoder.ENCODED_LENGTH + challengeEncoder.encodedLength());
                }
                work++;
            }
            else if (nowNs - session.helloDeadlineNs > 0)
            {
                awaitingPublication.remove(i);
                forget(session);
                work++;
            }
        }
        return work;
    }

    private int closeGoneSessions()
    {
        final int count = goneImages.size();
        for (int i = 0; i < count; i++)
        {
            final ClientSession session = sessions.get(goneImages.getInt(i));
            if (session != null)
            {
                awaitingPublication.remove(session);
                forget(session);
                counters.increment(NodeCounters.SESSIONS_CLOSED);
            }
        }
        goneImages.clear();
        return count;
    }

    private void forget(final ClientSession session)
    {
        sessions.remove(session.sessionId);
        awaitingPublication.remove(session);
        if (session.publication == null)
        {
            try
            {
                aeron.asyncRemovePublication(session.registrationId);
            }
            catch (final RuntimeException ignore)
            {
                // the registration failed or is gone already
            }
        }
        session.close();
    }

    private void sendWelcome(final ClientSession session, final long correlationId)
    {
        welcomeEncoder.wrapAndApplyHeader(responseBuffer, 0, headerEncoder)
            .correlationId(correlationId)
            .nodeId(nodeId)
            .topologyEpoch(topology.view().epoch())
            .maxKeyLength(maxKeyLength)
            .maxValueLength(maxValueLength);
        reply(session, MessageHeaderEncoder.ENCODED_LENGTH + welcomeEncoder.encodedLength());
    }

    private void replyIfPossible(final ClientSession session, final ErrorCode code, final byte[] message)
    {
        if (session != null && session.publication != null)
        {
            reply(session, handler.error(responseBuffer, 0, code, message));
        }
        else
        {
            counters.incrementError(code);
        }
    }

    private void reply(final ClientSession session, final int length)
    {
        publisher.offer(session.publication, responseBuffer, 0, length);
    }
}
