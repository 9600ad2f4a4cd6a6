package dev.ferrite.client;

import dev.ferrite.transport.sbe.MessageHeaderDecoder;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.locks.LockSupport;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One request slot: the encoded request, the answer copied out of the response stream, and the state
 * word that decides who completes it. A client owns {@code maxInFlight} of these, recycled through a
 * lock-free pool ({@link PendingRequests}), so a request allocates nothing in steady state.
 *
 * <h2>States and who moves them</h2>
 * <pre>
 *   free --acquire--> owned --arm(id)--> in flight --claim(id)--> completing --finish(outcome)--> done --release--> free
 *                                           ^  the poller (answer), the poller's sweep or the   |
 *                                           |  waiter (deadline), the sender (offer failed)      |
 *                                           +------------ arm(id') for a retry -------------------+
 * </pre>
 * {@code inFlightId} holds the correlation id while the request is in flight, 0 otherwise. Exactly one
 * party wins the CAS {@code inFlightId: id -> 0} ({@link #claim(long)}); only the winner writes the
 * answer and the outcome, so an answer and a timeout never both complete a request. Correlation ids are
 * {@code sequence * capacity + index}: unique for the client's lifetime, so an answer that arrives after
 * a timeout (or after the slot was reused) fails the CAS and is dropped (no ABA).
 *
 * <h2>Memory ordering</h2>
 * The owner writes the request fields and {@code deadlineNs}, then publishes them with the volatile
 * write of {@code inFlightId}; the claimer reads them after its CAS (acquire). The claimer writes the
 * answer, then the volatile {@code outcome} (release); the waiter reads {@code outcome} (acquire) before
 * the answer.
 */
final class PendingRequest
{
    static final int PENDING = 0;
    static final int ANSWERED = 1;
    static final int TIMED_OUT = 2;
    static final int FAILED = 3;
    /** The session it was sent on ended before its answer came (see {@link NodeSession}). */
    static final int SESSION_LOST = 4;

    /** {@link #sentGeneration} of a request no session ending can lose: the handshake that opens one. */
    static final long UNWATCHED = -1;

    /** Offset of every message's correlationId: the SBE header, then the first field of the block. */
    static final int CORRELATION_ID_OFFSET = MessageHeaderDecoder.ENCODED_LENGTH;

    private static final VarHandle IN_FLIGHT_ID;
    private static final VarHandle SENDING_ID;

    static
    {
        try
        {
            IN_FLIGHT_ID = MethodHandles.lookup().findVarHandle(PendingRequest.class, "inFlightId", long.class);
            SENDING_ID = MethodHandles.lookup().findVarHandle(PendingRequest.class, "sendingId", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    final int index;
    private final int capacity;
    private long sequence;

    @SuppressWarnings("unused") // accessed through IN_FLIGHT_ID
    private volatile long inFlightId;
    private volatile int outcome;
    /**
     * The id of the flight the owner is offering, 0 when none: the sweep leaves such a request to the
     * owner (see {@link Wire}). An id, not a flag, so that an owner clearing it late (its request was
     * answered, released and reused by another call meanwhile) cannot clear the next owner's.
     */
    @SuppressWarnings("unused") // accessed through SENDING_ID
    private volatile long sendingId;
    private long deadlineNs;

    /** The request as it goes on the wire; reused for retries. */
    final ExpandableDirectByteBuffer requestBuffer = new ExpandableDirectByteBuffer(512);
    int requestLength;
    /** Key slot for routing, or -1 for node-level requests. */
    int routingSlot;
    /** Where the next dispatch goes instead of asking the router (MOVED target, multi-get group, node-level target). */
    NodeSession target;
    /** The session the request was last sent on. */
    NodeSession sentTo;
    /** The session generation it was sent in, or {@link #UNWATCHED}; written before {@link #arm()} like sentTo. */
    long sentGeneration;
    int movedCount;
    int reopenCount;
    int resendCount;
    int stoppingCount;
    /** Set by the owner for async requests; read by the claimer. */
    AsyncCall<?> asyncCall;
    /** The thread waiting for a sync answer, unparked by the claimer. */
    Thread waiter;
    Throwable failure;

    /** The answer: a whole message, header included. */
    final ExpandableDirectByteBuffer responseBuffer = new ExpandableDirectByteBuffer(512);
    int responseLength;
    /** Aeron session id of the image the answer came through (the node's reply publication). */
    int responseImageSessionId;

    final RequestCodecs codecs = new RequestCodecs();
    final UnsafeBuffer keyView = new UnsafeBuffer(0, 0);
    final IdleStrategy idleStrategy;

    PendingRequest(final int index, final int capacity, final IdleStrategy idleStrategy)
    {
        this.index = index;
        this.capacity = capacity;
        this.idleStrategy = idleStrategy;
    }

    /** Resets per-call fields after acquiring. */
    void reset(final long deadlineNs)
    {
        this.deadlineNs = deadlineNs;
        routingSlot = -1;
        target = null;
        sentTo = null;
        sentGeneration = UNWATCHED;
        movedCount = 0;
        reopenCount = 0;
        resendCount = 0;
        stoppingCount = 0;
        asyncCall = null;
        waiter = null;
        failure = null;
        requestLength = 0;
        responseLength = 0;
    }

    long deadlineNs()
    {
        return deadlineNs;
    }

    /**
     * Owner only, before offering: gives the request a fresh correlation id and puts it in flight,
     * flagged as being offered first (the sweep reads the flag after inFlightId, so it can never see
     * the flight without it).
     */
    long arm()
    {
        final long id = ++sequence * capacity + index;
        sendingId = id;
        requestBuffer.putLong(CORRELATION_ID_OFFSET, id, ByteOrder.LITTLE_ENDIAN);
        outcome = PENDING;
        inFlightId = id; // volatile write: publishes the request fields and deadline to claimers
        return id;
    }

    /** Owner only: the offer of flight {@code id} is over; a no-op if the slot has moved on to another flight. */
    void sent(final long id)
    {
        SENDING_ID.compareAndSet(this, id, 0L);
    }

    /** True while the owner is offering flight {@code id}. */
    boolean sending(final long id)
    {
        return sendingId == id;
    }

    long inFlightId()
    {
        return inFlightId;
    }

    /** Wins the right to complete the request in flight with this id; false if someone else did or it is not in flight. */
    boolean claim(final long id)
    {
        return id != 0 && IN_FLIGHT_ID.compareAndSet(this, id, 0L);
    }

    /** Claimer only: copies the answer in before finishing. */
    void copyAnswer(final DirectBuffer buffer, final int offset, final int length, final int imageSessionId)
    {
        responseBuffer.putBytes(0, buffer, offset, length);
        responseLength = length;
        responseImageSessionId = imageSessionId;
    }

    /**
     * Claimer only: publishes the outcome, then wakes the sync waiter or runs the async completion.
     * Reads the waiter and the async call before the volatile write: after it, the owner may release
     * and reuse this slot.
     */
    void finish(final int outcome)
    {
        final AsyncCall<?> async = asyncCall;
        final Thread thread = waiter;
        this.outcome = outcome;
        if (async != null)
        {
            async.onOutcome(this, outcome);
        }
        else if (thread != null)
        {
            LockSupport.unpark(thread);
        }
    }

    /**
     * True when the session this in-flight request was sent on has ended since: its answer will not
     * come. Read after {@link #inFlightId()} (acquire), which publishes sentTo and sentGeneration.
     */
    boolean sessionLost()
    {
        final NodeSession session = sentTo;
        final long generation = sentGeneration;
        return generation != UNWATCHED && session != null && session.generation() != generation;
    }

    int outcome()
    {
        return outcome;
    }

    int templateId()
    {
        return responseBuffer.getShort(2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }
}
