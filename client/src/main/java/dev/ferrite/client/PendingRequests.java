package dev.ferrite.client;

import dev.ferrite.transport.aeron.IdleStrategies;

import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;

/**
 * The client's request slots: a fixed table indexed by correlation id (the poller finds a slot with one
 * mask, no map) and a lock-free pool of free slots (Agrona's many-to-many array queue: any caller
 * acquires, any completer releases, nothing allocated).
 *
 * <p>The pool bounds the requests in flight: a caller that finds it empty waits (with its idle
 * strategy) until a slot frees or its deadline passes. That is the client's back-pressure. Eight more
 * slots are kept for session handshakes ({@link #acquireForHandshake}).
 */
final class PendingRequests
{
    /** Slots kept for session handshakes, beyond the capacity: see {@link #acquireForHandshake}. */
    private static final int HANDSHAKE_SLOTS = 8;

    private final PendingRequest[] slots;
    private final ManyToManyConcurrentArrayQueue<PendingRequest> free;
    private final ManyToManyConcurrentArrayQueue<PendingRequest> freeForHandshakes;
    private final int capacity;
    private final int mask;
    private final IdleStrategy acquireIdleStrategy;

    private volatile PollerDuty pollerDuty;

    /** Set once by the runtime before any request is sent. */
    void pollerDuty(final PollerDuty duty)
    {
        this.pollerDuty = duty;
    }

    /** The duty a sync waiter runs while it waits; null before the runtime set it (the waiter then only idles). */
    PollerDuty pollerDuty()
    {
        return pollerDuty;
    }

    PendingRequests(final int capacity, final String idleStrategyName)
    {
        if (Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        // Correlation ids carry the slot index in their low bits (mask); the handshake slots sit above
        // the capacity, so the id space is the next power of two, and some indexes have no slot.
        final int idSpace = Integer.highestOneBit(capacity + HANDSHAKE_SLOTS - 1) << 1;
        this.slots = new PendingRequest[capacity + HANDSHAKE_SLOTS];
        this.capacity = capacity;
        this.free = new ManyToManyConcurrentArrayQueue<>(capacity);
        this.freeForHandshakes = new ManyToManyConcurrentArrayQueue<>(HANDSHAKE_SLOTS);
        this.mask = idSpace - 1;
        this.acquireIdleStrategy = IdleStrategies.create(IdleStrategies.SLEEPING);
        for (int i = 0; i < slots.length; i++)
        {
            slots[i] = new PendingRequest(i, idSpace, IdleStrategies.create(idleStrategyName));
            poolOf(slots[i]).offer(slots[i]);
        }
    }

    /**
     * A free slot, reset for a call ending at {@code deadlineNs}.
     *
     * @throws FerriteTimeoutException when none frees up before the deadline.
     */
    PendingRequest acquire(final long deadlineNs)
    {
        PendingRequest request = free.poll();
        if (request == null)
        {
            // Rare (more than maxInFlight outstanding): idling on a shared strategy is fine because a
            // sleeping strategy holds no state.
            while ((request = free.poll()) == null)
            {
                if (System.nanoTime() - deadlineNs > 0)
                {
                    throw new FerriteTimeoutException("all " + capacity + " in-flight slots busy until the deadline (maxInFlight)");
                }
                acquireIdleStrategy.idle();
            }
        }
        request.reset(deadlineNs);
        return request;
    }

    /**
     * A slot for a session handshake or a topology fetch, taken from the few kept for them, or from
     * the others when those are busy. Requests waiting to be sent again on a session that is being opened hold ordinary slots;
     * if the handshake competed with them for the same slots, a burst of them could starve it until
     * their deadlines.
     *
     * @throws FerriteTimeoutException when none frees up before the deadline.
     */
    PendingRequest acquireForHandshake(final long deadlineNs)
    {
        PendingRequest request;
        while ((request = freeForHandshakes.poll()) == null && (request = free.poll()) == null)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new FerriteTimeoutException("every in-flight slot busy until the deadline, even those kept for session handshakes");
            }
            acquireIdleStrategy.idle();
        }
        request.reset(deadlineNs);
        return request;
    }

    private ManyToManyConcurrentArrayQueue<PendingRequest> poolOf(final PendingRequest request)
    {
        return request.index >= capacity ? freeForHandshakes : free;
    }

    /** A free slot or null, never waiting: for the poller thread, which must not block on itself. */
    PendingRequest tryAcquire(final long deadlineNs)
    {
        final PendingRequest request = free.poll();
        if (request != null)
        {
            request.reset(deadlineNs);
        }
        return request;
    }

    void release(final PendingRequest request)
    {
        request.asyncCall = null;
        request.waiter = null;
        request.target = null;
        request.sentTo = null;
        poolOf(request).offer(request); // cannot fail: each queue can hold all of its slots
    }

    /**
     * The slot that an answer with this correlation id belongs to (it may since have moved on: check
     * with claim), or null for an id no slot ever had.
     */
    PendingRequest slotFor(final long correlationId)
    {
        final int index = (int)(correlationId & mask);
        return index < slots.length ? slots[index] : null;
    }

    /**
     * Times out every request past its deadline, and ends every request whose session ended before its
     * answer came (so that it is sent again or failed now, not at its deadline). Returns how many.
     */
    int sweep(final long nowNs)
    {
        int ended = 0;
        for (final PendingRequest request : slots)
        {
            final long id = request.inFlightId();
            // Read sendingId after inFlightId: if the owner is still offering, it checks the deadline itself.
            if (id == 0 || request.sending(id))
            {
                continue;
            }
            final int outcome = nowNs - request.deadlineNs() > 0 ? PendingRequest.TIMED_OUT :
                request.sessionLost() ? PendingRequest.SESSION_LOST : PendingRequest.PENDING;
            if (outcome != PendingRequest.PENDING && request.claim(id))
            {
                request.finish(outcome);
                ended++;
            }
        }
        return ended;
    }

    /** Fails every request in flight (client closing). */
    void failAll(final Throwable reason)
    {
        for (final PendingRequest request : slots)
        {
            final long id = request.inFlightId();
            if (!request.sending(id) && request.claim(id))
            {
                request.failure = reason;
                request.finish(PendingRequest.FAILED);
            }
        }
    }

    int capacity()
    {
        return capacity;
    }
}
