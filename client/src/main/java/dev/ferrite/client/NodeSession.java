package dev.ferrite.client;

import dev.ferrite.transport.ProtocolConstants;
import dev.ferrite.transport.sbe.ErrorCode;

import io.aeron.Publication;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

/**
 * The client's session with one node: a publication to the node's request channel, opened lazily by the
 * hello (and, with a secret, challenge-response) handshake of docs/protocol.md ({@link SessionHandshake}),
 * then shared by every thread that sends to this node.
 *
 * <p>Threading: {@link #ensureOpen(long)} is two volatile reads when open; opening is serialized on
 * this object (rare: once per node, again after {@link #markStale()}), and the caller waits for the
 * handshake's answers like any sync request.
 *
 * <h2>Generations: noticing that a session ended under requests in flight</h2>
 * Each {@link #markStale()} starts a new generation; the session is open when the generation it was
 * last opened in is the current one. A request remembers the generation it was sent in
 * ({@link #openGeneration()}), so a request whose session ended before its answer came can be told
 * apart and sent again at once (see {@link RequestDispatcher}) instead of waiting out its deadline: a
 * restarted node drops requests from the session it never welcomed, and the old node's answer is lost.
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
    private final AtomicLong generation = new AtomicLong();
    private volatile long openGeneration = -1;
    /** Aeron session id of the node's reply publication that welcomed the open generation. */
    private volatile int replyImageSessionId;
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
        generation.incrementAndGet();
    }

    /**
     * Ends generation {@code sentGeneration} only, if it is still the current one: a stale answer to
     * a request sent in an older generation must not end the session opened since.
     */
    void markStale(final long sentGeneration)
    {
        generation.compareAndSet(sentGeneration, sentGeneration + 1);
    }

    /**
     * The image of a node's reply publication went away. Only the image that welcomed the open
     * generation ends it: an older image (from before a restart, or closed by the node because of our
     * own second hello) going away late must not end the session opened since.
     */
    void onReplyImageGone(final int imageSessionId)
    {
        final long opened = openGeneration;
        if (replyImageSessionId == imageSessionId)
        {
            markStale(opened);
        }
    }

    boolean isClosed()
    {
        return closed;
    }

    boolean isOpen()
    {
        return openGeneration == generation.get();
    }

    /** The current generation: a request sent in an older one may have been lost with its session. */
    long generation()
    {
        return generation.get();
    }

    /** The generation the session was last opened in: what a request sent now is sent in. */
    long openGeneration()
    {
        return openGeneration;
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
        if (isOpen())
        {
            return false;
        }
        synchronized (this)
        {
            final long opening = generation.get();
            if (openGeneration == opening)
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
            final SessionHandshake.Welcome welcome = SessionHandshake.open(this, context, deadlineNs);
            nodeId = welcome.nodeId();
            welcomeEpoch = welcome.topologyEpoch();
            replyImageSessionId = welcome.replyImageSessionId();
            // If the session went stale during the handshake, this generation is already old and the
            // next request opens it again.
            openGeneration = opening;
            // After openGeneration: an image that goes away from here on ends this generation. One
            // that went away before registering (the node restarted right after welcoming) does too.
            if (!context.replyImages().register(welcome.replyImageSessionId(), this))
            {
                markStale(opening);
            }
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

    void close()
    {
        closed = true; // first, outside the lock: a handshake in progress sees it between attempts
        synchronized (this)
        {
            markStale();
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
        return "NodeSession{" + hostPort + ", nodeId=" + nodeId + ", open=" + isOpen() + '}';
    }
}
