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
 * strategy) until a slot frees or its deadline passes. That is the client's back-pressure.
 */
final class PendingRequests
{
    private final PendingRequest[] slots;
    private final ManyToManyConcurrentArrayQueue<PendingRequest> free;
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
        this.slots = new PendingRequest[capacity];
        this.free = new ManyToManyConcurrentArrayQueue<>(capacity);
        this.mask = capacity - 1;
        this.acquireIdleStrategy = IdleStrategies.create(IdleStrategies.SLEEPING);
        for (int i = 0; i < capacity; i++)
        {
            slots[i] = new PendingRequest(i, capacity, IdleStrategies.create(idleStrategyName));
            free.offer(slots[i]);
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
                    throw new FerriteTimeoutException("all " + slots.length + " in-flight slots busy until the deadline (maxInFlight)");
                }
                acquireIdleStrategy.idle();
            }
        }
        request.reset(deadlineNs);
        return request;
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
        free.offer(request); // cannot fail: the queue holds every slot
    }

    /** The slot that an answer with this correlation id belongs to (it may since have moved on: check with claim). */
    PendingRequest slotFor(final long correlationId)
    {
        return slots[(int)(correlationId & mask)];
    }

    /** Times out every request past its deadline. Returns how many. */
    int sweepTimeouts(final long nowNs)
    {
        int timedOut = 0;
        for (final PendingRequest request : slots)
        {
            final long id = request.inFlightId();
            // Read sending after inFlightId: if the owner is still offering, it checks the deadline itself.
            if (id != 0 && nowNs - request.deadlineNs() > 0 && !request.sending() && request.claim(id))
            {
                request.finish(PendingRequest.TIMED_OUT);
                timedOut++;
            }
        }
        return timedOut;
    }

    /** Fails every request in flight (client closing). */
    void failAll(final Throwable reason)
    {
        for (final PendingRequest request : slots)
        {
            final long id = request.inFlightId();
            if (!request.sending() && request.claim(id))
            {
                request.failure = reason;
                request.finish(PendingRequest.FAILED);
            }
        }
    }

    int capacity()
    {
        return slots.length;
    }
}
