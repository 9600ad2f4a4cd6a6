package dev.ferrite.client;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Futures complete on the poller thread: a sync call there is refused, an async one is handed to the retry thread. */
class AsyncContinuationTest
{
    @Test
    void shouldRefuseSyncCallsAndAcceptAsyncCallsInContinuationsOnThePollerThread() throws Exception
    {
        final byte[] key = "continuation".getBytes(StandardCharsets.UTF_8);
        try (FakeCluster cluster = new FakeCluster(1, null);
            FerriteClient client = FerriteClient.connect(new ClientConfig().seeds(cluster.seeds()).requestTimeoutMs(3000)))
        {
            client.set(key, key);
            final ExecutionException refused = assertThrows(
                ExecutionException.class, () -> client.getAsync(key).thenApply(first -> client.get(key)).get(5, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, refused.getCause());

            final GetResult chained = client.getAsync(key).thenCompose(first -> client.getAsync(key)).get(5, TimeUnit.SECONDS);
            assertArrayEquals(key, chained.value());
            assertThrows(CompletionException.class, () -> client.getAsync(key).thenApply(first -> client.ping()).join());
        }
    }
}
