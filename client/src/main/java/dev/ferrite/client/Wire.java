package dev.ferrite.client;

import io.aeron.Publication;

/**
 * Puts an armed request on a node's publication, and waits for a sync answer.
 *
 * <h2>Offering</h2>
 * The request is armed (in flight) before {@code offer}, because the answer may arrive before
 * {@code offer} returns. While offering, the request carries its flight's id as {@code sendingId} so that
 * the sweep leaves it alone: once sent, the sender only clears that id by CAS (the poller may already
 * have completed and recycled the slot, and the next flight's id must stay); when not sent, the sender
 * takes it back with a claim, racing only the sweep, which {@code sendingId} has held off until now.
 *
 * <h2>Back-pressure</h2>
 * {@code BACK_PRESSURED} and {@code ADMIN_ACTION} are retried with the slot's idle strategy until the
 * request's deadline; {@code NOT_CONNECTED}, {@code CLOSED} and {@code MAX_POSITION_EXCEEDED} are
 * returned at once (the node is gone or the publication is unusable) for the router to decide.
 * Callers share one publication per node; {@link NodeSession#offer} serializes the offers.
 */
final class Wire
{
    static final int SENT = 0;
    static final int NOT_CONNECTED = 1;
    static final int CLOSED = 2;
    static final int BACK_PRESSURED = 3;
    /** Not sent, but someone else (the sweep or close) completed the request meanwhile: hands off. */
    static final int COMPLETED_ELSEWHERE = 4;

    private Wire()
    {
    }

    static int send(final NodeSession session, final PendingRequest request)
    {
        request.sentTo = session;
        final long id = request.arm();
        int reason;
        while (true)
        {
            // A sync caller runs the poller's duty itself while it waits (Wire.await), so only async
            // requests need the parked poller woken to send them.
            final long result = session.offer(request.requestBuffer, 0, request.requestLength, request.asyncCall != null);
            if (result > 0)
            {
                request.sent(id);
                return SENT;
            }
            if (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION)
            {
                if (System.nanoTime() - request.deadlineNs() > 0)
                {
                    reason = BACK_PRESSURED;
                    break;
                }
                request.idleStrategy.idle();
                continue;
            }
            reason = result == Publication.NOT_CONNECTED ? NOT_CONNECTED : CLOSED;
            break;
        }
        request.sent(id);
        return request.claim(id) ? reason : COMPLETED_ELSEWHERE;
    }

    /**
     * Waits for the outcome of a sync request, timing it out itself at its deadline, or ending it when
     * the session it was sent on ends (the sweep would too; the claim decides who). While waiting it runs the poller's duty whenever no other thread
     * does; when the poller thread has it, the poller unparks the waiter, so the park ends early.
     */
    static int await(final PendingRequest request, final PollerDuty duty)
    {
        request.idleStrategy.reset();
        int outcome;
        while ((outcome = request.outcome()) == PendingRequest.PENDING)
        {
            if (System.nanoTime() - request.deadlineNs() > 0)
            {
                final long id = request.inFlightId();
                if (request.claim(id))
                {
                    request.finish(PendingRequest.TIMED_OUT);
                    return PendingRequest.TIMED_OUT;
                }
            }
            else if (request.sessionLost())
            {
                final long id = request.inFlightId();
                if (request.claim(id))
                {
                    request.finish(PendingRequest.SESSION_LOST);
                    return PendingRequest.SESSION_LOST;
                }
            }
            // Run the poller's duty here when no one else is (see PollerDuty): this sends the request
            // and reads its answer without a hop to the poller thread and back.
            final int work = duty != null ? duty.runForCaller() : 0;
            if (work > 0)
            {
                request.idleStrategy.reset();
            }
            else
            {
                request.idleStrategy.idle();
            }
        }
        return outcome;
    }
}
