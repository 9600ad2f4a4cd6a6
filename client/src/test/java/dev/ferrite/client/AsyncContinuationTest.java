package dev.ferrite.client;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Futures complete on the poller thread: a sync call there is refused, an async one is handed to the
 * retry thread.
 *
 * <p>A continuation runs on the poller thread only if it is attached before the answer arrives; when
 * the answer comes first (the test thread descheduled between the call and {@code thenApply}, seen
 * once on a loaded 2-core machine), it runs on the calling thread, where a sync call is allowed. So
 * each refusal is checked on a continuation that ran on another thread, trying again otherwise.
 */
class AsyncContinuationTest
{
    private static final int ATTEMPTS = 50;
    private static final Object RAN_ON_CALLER = new Object();

    @Test
    void shouldRefuseSyncCallsAndAcceptAsyncCallsInContinuationsOnThePollerThread() throws Exception
    {
        final byte[] key = "continuation".getBytes(StandardCharsets.UTF_8);
        try (FakeCluster cluster = new FakeCluster(1, null);
            FerriteClient client = FerriteClient.connect(new ClientConfig().seeds(cluster.seeds()).requestTimeoutMs(3000)))
        {
            client.set(key, key);
            assertInstanceOf(IllegalStateException.class, refusalOnPollerThread(client, key, () -> client.get(key)));
            assertInstanceOf(IllegalStateException.class, refusalOnPollerThread(client, key, client::ping));

            final GetResult chained = client.getAsync(key).thenCompose(first -> client.getAsync(key)).get(5, TimeUnit.SECONDS);
            assertArrayEquals(key, chained.value());
        }
    }

    /** The failure of {@code syncCall} made in a continuation that ran off the calling thread. */
    private static Throwable refusalOnPollerThread(final FerriteClient client, final byte[] key, final Supplier<?> syncCall)
        throws Exception
    {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++)
        {
            final Thread caller = Thread.currentThread();
            final CompletableFuture<Object> continuation =
                client.getAsync(key).thenApply(first -> Thread.currentThread() == caller ? RAN_ON_CALLER : syncCall.get());
            try
            {
                if (continuation.get(5, TimeUnit.SECONDS) == RAN_ON_CALLER)
                {
                    continue; // the answer came before the continuation was attached: try again
                }
                fail("a sync call in a continuation on the poller thread was accepted");
            }
            catch (final ExecutionException refused)
            {
                return refused.getCause();
            }
        }
        return fail("no continuation of " + ATTEMPTS + " ran on the poller thread");
    }
}
