package dev.ferrite.client;

import dev.ferrite.transport.routing.SlotTable;
import dev.ferrite.transport.sbe.ErrorCode;
import dev.ferrite.transport.sbe.ErrorResponseDecoder;
import dev.ferrite.transport.sbe.MovedResponseDecoder;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A request's life after encoding: route, open the session if needed, send, wait (sync) or hand off
 * (async), and on a MOVED answer learn and send again, at most {@code maxMovedRetries} times, all
 * within the request's deadline.
 *
 * <p>Sync calls run every step on the calling thread. Async calls send on the calling thread; the
 * poller completes them, except MOVED and lost-session answers, which go to the retry executor because
 * following them may block (topology fetch, session handshake) and the poller must not.
 */
final class RequestDispatcher
{
    private static final int DONE = 0;
    private static final int RETRY = 1;

    private final Router router;
    private final PendingRequests requests;
    private final int maxMovedRetries;
    private final Executor retryExecutor;

    RequestDispatcher(final Router router, final PendingRequests requests, final int maxMovedRetries, final Executor retryExecutor)
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
            session.markStale();
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
        if (templateId == ErrorResponseDecoder.TEMPLATE_ID && Answers.errorCode(request) == ErrorCode.NOT_AUTHENTICATED &&
            request.reopenCount++ == 0)
        {
            // The node no longer knows our session (it restarted): say hello again, once.
            request.sentTo.markStale();
            request.target = request.sentTo;
            return RETRY;
        }
        return DONE;
    }

    /** True if an async answer must go to the retry executor instead of completing on the poller. */
    static boolean needsRetryStep(final PendingRequest request)
    {
        final int templateId = request.templateId();
        return templateId == MovedResponseDecoder.TEMPLATE_ID ||
            (templateId == ErrorResponseDecoder.TEMPLATE_ID && Answers.errorCode(request) == ErrorCode.NOT_AUTHENTICATED);
    }

    /** The retry executor's step for an async answer: learn, then send again or complete. */
    void retryAsync(final PendingRequest request, final AsyncCall<?> call)
    {
        try
        {
            retryExecutor.execute(() -> retryStep(request, call));
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
            if (afterAnswer(request) == RETRY)
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

    void runOnRetryThread(final Runnable task)
    {
        retryExecutor.execute(task);
    }

    /** A TopologyRequest to one node, decoded. */
    SlotTable fetchTopology(final NodeSession node, final long deadlineNs)
    {
        final PendingRequest request = requests.acquire(deadlineNs);
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
