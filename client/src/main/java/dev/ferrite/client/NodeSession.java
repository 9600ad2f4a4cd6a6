package dev.ferrite.client;

import dev.ferrite.transport.ProtocolConstants;
import dev.ferrite.transport.sbe.ChallengeResponseDecoder;
import dev.ferrite.transport.sbe.ErrorCode;
import dev.ferrite.transport.sbe.ErrorResponseDecoder;
import dev.ferrite.transport.sbe.MessageHeaderDecoder;
import dev.ferrite.transport.sbe.WelcomeResponseDecoder;

import io.aeron.Publication;

import java.util.concurrent.locks.ReentrantLock;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

/**
 * The client's session with one node: a publication to the node's request channel, opened lazily by the
 * hello (and, with a secret, challenge-response) handshake of docs/protocol.md, then shared by every
 * thread that sends to this node.
 *
 * <p>Threading: {@link #ensureOpen(long)} is a volatile read when open; opening is serialized on this
 * object (rare: once per node, again after {@link #markStale()}), and the caller waits for the
 * handshake's answers like any sync request.
 *
 * <p>The publication is an {@code ExclusivePublication}, so this client has an Aeron session of its own
 * even when it shares a media driver with other clients (an external driver, or several clients in one
 * process): concurrent publications to the same channel and stream are shared by the driver, and the
 * node, which tells clients apart by session id, would send one client's answers to another. Aeron
 * Cluster's ingress is exclusive for the same reason. An exclusive publication has one writer at a
 * time, so {@link #offer} holds a lock for the copy into the term buffer only (no I/O, no waiting on the
 * network; back-pressure retries happen outside it).
 */
final class NodeSession
{
    private final String hostPort;
    private final SessionContext context;
    private volatile Publication publication;
    private final ReentrantLock offerLock = new ReentrantLock();
    private volatile boolean open;
    private volatile int nodeId = -1;
    private volatile long welcomeEpoch = -1;
    private volatile boolean closed;

    NodeSession(final String hostPort, final SessionContext context)
    {
        HostPort.parse(hostPort);
        this.hostPort = hostPort;
        this.context = context;
    }

    String hostPort()
    {
        return hostPort;
    }

    /** The node's id from its welcome, -1 before. */
    int nodeId()
    {
        return nodeId;
    }

    /** The topology epoch the node announced in its welcome, -1 before. */
    long welcomeEpoch()
    {
        return welcomeEpoch;
    }

    Publication publication()
    {
        return publication;
    }

    /** One {@code offer} to the node, serialized with other threads' (see the class note). */
    long offer(final DirectBuffer buffer, final int offset, final int length, final boolean wakePoller)
    {
        final Publication current = publication;
        if (current == null)
        {
            return Publication.NOT_CONNECTED;
        }
        final long result;
        offerLock.lock();
        try
        {
            result = current.offer(buffer, offset, length);
        }
        finally
        {
            offerLock.unlock();
        }
        if (result > 0 && wakePoller)
        {
            context.pollerWakeup().wake(); // the poller runs the driver's sender: send now, not after its park
        }
        return result;
    }

    /** The node lost our session (restart) or went away: the next request says hello again. */
    void markStale()
    {
        open = false;
    }

    /**
     * Opens the session if it is not open.
     *
     * @return true if this call opened it (the caller may then check the node's topology epoch).
     * @throws NodeUnreachableException when the request channel does not connect in time.
     * @throws FerriteException         when the node refuses (authentication) or does not answer.
     */
    boolean ensureOpen(final long deadlineNs)
    {
        if (open)
        {
            return false;
        }
        synchronized (this)
        {
            if (open)
            {
                return false;
            }
            if (closed)
            {
                throw new FerriteException(ErrorCode.UNAVAILABLE, "client closed");
            }
            if (publication == null)
            {
                publication = context.aeron().addExclusivePublication(HostPort.requestChannel(hostPort), ProtocolConstants.REQUEST_STREAM_ID);
            }
            awaitConnected(deadlineNs);
            handshake(deadlineNs);
            open = true;
            return true;
        }
    }

    private void awaitConnected(final long deadlineNs)
    {
        final long connectDeadlineNs = Math.min(deadlineNs, System.nanoTime() + context.connectTimeoutNs());
        final IdleStrategy idle = new SleepingMillisIdleStrategy(1); // connecting takes milliseconds: no need to spin
        while (!publication.isConnected())
        {
            if (System.nanoTime() - connectDeadlineNs > 0)
            {
                throw new NodeUnreachableException(hostPort);
            }
            idle.idle();
        }
    }

    private void handshake(final long deadlineNs)
    {
        final PendingRequest request = context.requests().acquire(deadlineNs);
        request.waiter = Thread.currentThread();
        try
        {
            request.requestLength = request.codecs.hello(
                request.requestBuffer, context.clientId(), context.responseStreamId(), context.responseChannel());
            roundTrip(request, "hello");
            if (request.templateId() == ChallengeResponseDecoder.TEMPLATE_ID)
            {
                final ChallengeResponseDecoder challenge = request.codecs.challenge;
                challenge.wrapAndApplyHeader(request.responseBuffer, 0, request.codecs.headerDecoder);
                final byte[] serverNonce = new byte[challenge.serverNonceLength()];
                challenge.getServerNonce(serverNonce, 0, serverNonce.length);
                if (context.secret() == null)
                {
                    throw new FerriteException(
                        ErrorCode.NOT_AUTHENTICATED, "node " + hostPort + " requires a secret and none is configured");
                }
                final byte[] clientNonce = AuthProof.newClientNonce();
                final byte[] proof = AuthProof.proof(context.secret(), serverNonce, clientNonce, context.clientId());
                request.requestLength = request.codecs.authenticate(request.requestBuffer, clientNonce, proof);
                roundTrip(request, "authenticate");
            }
            final int templateId = request.templateId();
            if (templateId == WelcomeResponseDecoder.TEMPLATE_ID)
            {
                final WelcomeResponseDecoder welcome = request.codecs.welcome;
                welcome.wrapAndApplyHeader(request.responseBuffer, 0, request.codecs.headerDecoder);
                nodeId = welcome.nodeId();
                welcomeEpoch = welcome.topologyEpoch();
                context.replyImages().register(request.responseImageSessionId, this);
            }
            else if (templateId == ErrorResponseDecoder.TEMPLATE_ID)
            {
                throw Answers.error(request);
            }
            else
            {
                throw Answers.unexpected(request, "session handshake with " + hostPort);
            }
        }
        finally
        {
            context.requests().release(request);
        }
    }

    private void roundTrip(final PendingRequest request, final String step)
    {
        final int sent = Wire.send(this, request);
        if (sent == Wire.NOT_CONNECTED || sent == Wire.CLOSED)
        {
            throw new NodeUnreachableException(hostPort);
        }
        if (sent == Wire.BACK_PRESSURED)
        {
            throw new FerriteTimeoutException(step + " to " + hostPort + " back-pressured until the deadline");
        }
        final int outcome = Wire.await(request, context.requests().pollerDuty());
        if (outcome == PendingRequest.TIMED_OUT)
        {
            throw new FerriteTimeoutException("no answer to " + step + " from " + hostPort + " before the deadline");
        }
        if (outcome == PendingRequest.FAILED)
        {
            throw Answers.failure(request);
        }
        if (request.responseLength < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            throw Answers.unexpected(request, step);
        }
    }

    void close()
    {
        synchronized (this)
        {
            closed = true;
            open = false;
            final Publication toClose = publication;
            if (toClose != null)
            {
                toClose.close();
            }
        }
    }

    @Override
    public String toString()
    {
        return "NodeSession{" + hostPort + ", nodeId=" + nodeId + ", open=" + open + '}';
    }
}
