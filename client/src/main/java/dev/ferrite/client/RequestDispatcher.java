package dev.ferrite.client;

import dev.ferrite.transport.routing.SlotTable;
import dev.ferrite.transport.sbe.ErrorCode;
import dev.ferrite.transport.sbe.ErrorResponseDecoder;
import dev.ferrite.transport.sbe.MovedResponseDecoder;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A request's life after encoding: route, open the session if needed, send, wait (sync) or hand off
 * (async), and on a MOVED answer learn and send again, at most {@code maxMovedRetries} times, all
 * within the request's deadline.
 *
 * <p>Sync calls run every step on the calling thread. Async calls send on the calling thread; the
 * poller completes them, except MOVED, lost-session and STOPPING answers and requests whose session
 * ended, which go to the retry executor because following them may block (topology fetch, session
 * handshake, a pause before sending again) and the poller must not.
 *
 * <h2>Sending again</h2>
 * <ul>
 * <li>MOVED: to the owner it names, at most {@code maxMovedRetries} times.</li>
 * <li>NOT_AUTHENTICATED: the node forgot the session; hello again, once.</li>
 * <li>STOPPING: the node refused it (not applied); pause 1 ms, doubling to 50 ms, while the deadline allows.</li>
 * <li>The session ended before the answer: only requests that may be applied twice (see
 *     {@link #afterSessionLost}).</li>
 * </ul>
 */
final class RequestDispatcher
{
    private static final int DONE = 0;
    private static final int RETRY = 1;
    /** Resends of one request after its session ended: a node restarts once, not three times in a call. */
    private static final int MAX_RESENDS = 3;
    private static final long FIRST_STOPPING_PAUSE_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_STOPPING_PAUSE_NS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Router router;
    private final PendingRequests requests;
    private final int maxMovedRetries;
    private final ScheduledExecutorService retryExecutor;

    RequestDispatcher(
        final Router router, final PendingRequests requests, final int maxMovedRetries, final ScheduledExecutorService retryExecutor)
    {
        this.router = router;
        this.requests = requests;
        this.maxMovedRetries = maxMovedRetries;
        this.retryExecutor = retryExecutor;
    }

    Router router()
    {
        return router;
    }

    PendingRequests requests()
    {
        return requests;
    }

    /**
     * Runs a sync request to its final answer, left in the slot for the caller to decode.
     *
     * @throws FerriteTimeoutException at the deadline.
     * @throws FerriteException        when the request cannot be sent or keeps moving.
     */
    void execute(final PendingRequest request)
    {
        request.waiter = Thread.currentThread();
        while (true)
        {
            dispatch(request);
            final int outcome = Wire.await(request, requests.pollerDuty());
            if (outcome == PendingRequest.TIMED_OUT)
            {
                throw timeout(request);
            }
            if (outcome == PendingRequest.FAILED)
            {
                throw Answers.failure(request);
            }
            if (outcome == PendingRequest.SESSION_LOST)
            {
                afterSessionLost(request);
                continue;
            }
            if (afterAnswer(request) == DONE)
            {
                return;
            }
        }
    }

    /**
     * Sends the request to the node its route gives, failing over while the router has somewhere else
     * to go. Returns once the request is in flight (or was completed by someone else meanwhile); the
     * caller must not touch an async request after that.
     */
    void dispatch(final PendingRequest request)
    {
        while (true)
        {
            final boolean routed = request.target == null;
            final NodeSession session = routed ? router.route(request.routingSlot) : request.target;
            request.target = null;
            final int sent;
            try
            {
                if (session.ensureOpen(request.deadlineNs()) && router.onSessionOpened(session, request.deadlineNs()))
                {
                    if (routed)
                    {
                        continue; // the node announced a newer table, now installed: route again by it
                    }
                    request.target = session;
                }
                request.sentGeneration = session.openGeneration(); // before arming: the sweep reads it after
                sent = Wire.send(session, request);
            }
            catch (final NodeUnreachableException ex)
            {
                failOverOrThrow(request, session, ex);
                continue;
            }
            if (sent == Wire.SENT || sent == Wire.COMPLETED_ELSEWHERE)
            {
                return;
            }
            if (sent == Wire.BACK_PRESSURED)
            {
                throw new FerriteTimeoutException("back-pressured by " + session.hostPort() + " until the deadline");
            }
            session.markStale(request.sentGeneration);
            failOverOrThrow(request, session, new NodeUnreachableException(session.hostPort()));
        }
    }

    /**
     * Fails over when the router has another node; otherwise keeps trying the same node (it may be
     * restarting: opening its session waits up to connectTimeoutMs for its channel) until the deadline.
     */
    private void failOverOrThrow(final PendingRequest request, final NodeSession session, final NodeUnreachableException ex)
    {
        router.onUnreachable(session);
        if (System.nanoTime() - request.deadlineNs() > 0)
        {
            throw new FerriteTimeoutException("node " + session.hostPort() + " unreachable until the request's deadline", ex);
        }
    }

    /** Decides what an answer means: done, or (after learning from it) send again. */
    private int afterAnswer(final PendingRequest request)
    {
        final int templateId = request.templateId();
        if (templateId == MovedResponseDecoder.TEMPLATE_ID)
        {
            final MovedResponseDecoder moved = request.codecs.moved;
            moved.wrapAndApplyHeader(request.responseBuffer, 0, request.codecs.headerDecoder);
            final int slot = moved.slot();
            final int owner = moved.ownerNodeId();
            final long epoch = moved.topologyEpoch();
            final String ownerHostPort = moved.ownerEndpoint();
            if (++request.movedCount > maxMovedRetries)
            {
                throw new FerriteException(ErrorCode.UNAVAILABLE, "slot " + slot + " still MOVED after " + maxMovedRetries +
                    " retries (last: owner " + owner + " at " + ownerHostPort + ", epoch " + epoch + ")");
            }
            router.onMoved(request, slot, owner, epoch, ownerHostPort);
            return RETRY;
        }
        final ErrorCode code = errorCodeOf(request);
        if (code == ErrorCode.NOT_AUTHENTICATED && request.reopenCount++ == 0)
        {
            // The node no longer knows our session (it restarted): say hello again, once.
            request.sentTo.markStale(request.sentGeneration);
            request.target = request.sentTo;
            return RETRY;
        }
        if (code == ErrorCode.STOPPING)
        {
            final long pauseNs = stoppingPauseNs(request);
            if (pauseNs >= 0)
            {
                LockSupport.parkNanos(pauseNs); // sync: the caller's own thread; async pauses are scheduled (retryAsync)
                sendAgain(request);
                return RETRY;
            }
        }
        return DONE;
    }

    /**
     * A STOPPING node did not apply the request and is going away: it comes back (a restart) or its
     * slots move (the route changes), so the request is sent again after a pause, 1 ms doubling to
     * 50 ms. Returns the pause, or -1 when it would pass the deadline: the caller then gets the
     * STOPPING error.
     */
    private static long stoppingPauseNs(final PendingRequest request)
    {
        final long pauseNs = stoppingPauseNs(request.stoppingCount++);
        return System.nanoTime() + pauseNs - request.deadlineNs() > 0 ? -1 : pauseNs;
    }

    /** The pause before the next try at a STOPPING node, after {@code answers} such answers: 1 ms doubling to 50 ms. */
    static long stoppingPauseNs(final int answers)
    {
        return Math.min(MAX_STOPPING_PAUSE_NS, FIRST_STOPPING_PAUSE_NS << Math.min(answers, 8));
    }

    /** The next dispatch routes a keyed request again (the owner may have changed) and resends any other to its node. */
    private static void sendAgain(final PendingRequest request)
    {
        request.target = request.routingSlot >= 0 ? null : request.sentTo;
    }

    /**
     * The session a request was sent on ended before its answer came. The node may or may not have
     * applied it (a node that restarted never saw it; one that stopped may have), so it is sent again
     * only when applying it twice does no harm ({@link RequestCodecs#resendable()}), to the same node,
     * which says hello first; otherwise the caller is told, so it can check before trying again.
     *
     * @throws FerriteException UNAVAILABLE when the request must not be sent again, or keeps being lost.
     */
    private void afterSessionLost(final PendingRequest request)
    {
        final NodeSession lostOn = request.sentTo;
        if (!request.codecs.resendable())
        {
            throw new FerriteException(ErrorCode.UNAVAILABLE, "the session with " + lostOn.hostPort() +
                " ended before its answer came (the node restarted or stopped): this conditional write or" +
                " increment may or may not have been applied, so it was not sent again");
        }
        if (++request.resendCount > MAX_RESENDS)
        {
            throw new FerriteException(ErrorCode.UNAVAILABLE, "the session with " + lostOn.hostPort() +
                " ended before the answer " + request.resendCount + " times in a row");
        }
        sendAgain(request);
    }

    /** True if an async answer must go to the retry executor instead of completing on the poller. */
    static boolean needsRetryStep(final PendingRequest request)
    {
        final int templateId = request.templateId();
        if (templateId == MovedResponseDecoder.TEMPLATE_ID)
        {
            return true;
        }
        final ErrorCode code = errorCodeOf(request);
        return code == ErrorCode.NOT_AUTHENTICATED || code == ErrorCode.STOPPING;
    }

    /** The code of an error answer; null for any other answer. */
    private static ErrorCode errorCodeOf(final PendingRequest request)
    {
        return request.templateId() == ErrorResponseDecoder.TEMPLATE_ID ? Answers.errorCode(request) : null;
    }

    /**
     * The retry executor's step for an async answer: learn, then send again or complete. A STOPPING
     * answer's pause is scheduled, not slept, so that it holds up no other request's retry.
     */
    void retryAsync(final PendingRequest request, final AsyncCall<?> call)
    {
        try
        {
            final long stoppingPauseNs = request.outcome() == PendingRequest.ANSWERED &&
                errorCodeOf(request) == ErrorCode.STOPPING ? stoppingPauseNs(request) : -1;
            if (stoppingPauseNs >= 0)
            {
                retryExecutor.schedule(() -> sendAgainAsync(request, call), stoppingPauseNs, TimeUnit.NANOSECONDS);
            }
            else
            {
                retryExecutor.execute(() -> retryStep(request, call));
            }
        }
        catch (final RejectedExecutionException ex)
        {
            call.fail(request, new FerriteException(ErrorCode.UNAVAILABLE, "client closed", ex));
        }
    }

    private void retryStep(final PendingRequest request, final AsyncCall<?> call)
    {
        try
        {
            if (request.outcome() == PendingRequest.SESSION_LOST)
            {
                afterSessionLost(request);
                dispatch(request);
            }
            else if (afterAnswer(request) == RETRY)
            {
                dispatch(request);
            }
            else
            {
                call.complete(request);
            }
        }
        catch (final Throwable ex)
        {
            call.fail(request, ex);
        }
    }

    private void sendAgainAsync(final PendingRequest request, final AsyncCall<?> call)
    {
        try
        {
            sendAgain(request);
            dispatch(request);
        }
        catch (final Throwable ex)
        {
            call.fail(request, ex);
        }
    }

    void runOnRetryThread(final Runnable task)
    {
        retryExecutor.execute(task);
    }

    /** A TopologyRequest to one node, decoded. */
    SlotTable fetchTopology(final NodeSession node, final long deadlineNs)
    {
        // A control-plane request made on behalf of requests that hold ordinary slots (a session opened
        // with a newer table, a MOVED): it takes a slot kept for handshakes, as a handshake does.
        final PendingRequest request = requests.acquireForHandshake(deadlineNs);
        try
        {
            request.requestLength = request.codecs.topology(request.requestBuffer);
            request.target = node;
            execute(request);
            return TopologyReader.read(request);
        }
        finally
        {
            requests.release(request);
        }
    }

    static FerriteTimeoutException timeout(final PendingRequest request)
    {
        final NodeSession node = request.sentTo;
        return new FerriteTimeoutException("no answer from " + (node == null ? "any node" : node.hostPort()) + " before the request's deadline");
    }
}
