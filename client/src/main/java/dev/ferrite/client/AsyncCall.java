package dev.ferrite.client;

import java.util.concurrent.CompletableFuture;

/**
 * An async request's completion: decodes the answer into a result (before the slot is released) and
 * completes the future. Runs on whichever thread finishes the request: usually the poller, so it never
 * blocks; MOVED and lost-session answers are passed to the retry executor instead.
 *
 * <p>Futures complete on the poller thread: continuations that block, or that make sync calls on this
 * client, must use the {@code *Async} variants with an executor.
 */
final class AsyncCall<T>
{
    /** Decodes the answer in a slot; throws {@link FerriteException} for error answers. */
    interface Decoder<T>
    {
        T decode(PendingRequest request);
    }

    private final CompletableFuture<T> future = new CompletableFuture<>();
    private final Decoder<T> decoder;
    private final RequestDispatcher dispatcher;

    AsyncCall(final Decoder<T> decoder, final RequestDispatcher dispatcher)
    {
        this.decoder = decoder;
        this.dispatcher = dispatcher;
    }

    CompletableFuture<T> future()
    {
        return future;
    }

    /** Sends an encoded, owned request; the future completes later. */
    CompletableFuture<T> start(final PendingRequest request)
    {
        request.asyncCall = this;
        try
        {
            dispatcher.dispatch(request);
        }
        catch (final Throwable ex)
        {
            fail(request, ex);
        }
        return future;
    }

    void onOutcome(final PendingRequest request, final int outcome)
    {
        if (outcome == PendingRequest.TIMED_OUT)
        {
            fail(request, RequestDispatcher.timeout(request));
        }
        else if (outcome == PendingRequest.FAILED)
        {
            fail(request, Answers.failure(request));
        }
        else if (outcome == PendingRequest.SESSION_LOST || RequestDispatcher.needsRetryStep(request))
        {
            dispatcher.retryAsync(request, this);
        }
        else
        {
            complete(request);
        }
    }

    void complete(final PendingRequest request)
    {
        final T result;
        try
        {
            result = decoder.decode(request);
        }
        catch (final Throwable ex)
        {
            fail(request, ex);
            return;
        }
        dispatcher.requests().release(request); // before completing: continuations may need a slot
        future.complete(result);
    }

    void fail(final PendingRequest request, final Throwable ex)
    {
        dispatcher.requests().release(request);
        future.completeExceptionally(ex);
    }
}
