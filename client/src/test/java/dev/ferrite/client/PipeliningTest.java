package dev.ferrite.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Many requests in flight at once, matched to their answers by correlation id, and bounded by maxInFlight. */
class PipeliningTest
{
    private static FakeCluster cluster;

    @BeforeAll
    static void startCluster()
    {
        cluster = new FakeCluster(3, null);
    }

    @AfterAll
    static void stopCluster()
    {
        cluster.close();
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldMatchEveryAnswerToItsRequestWithManyInFlight() throws Exception
    {
        try (FerriteClient client = FerriteClient.connect(new ClientConfig().seeds(cluster.seeds()).maxInFlight(64).requestTimeoutMs(5000)))
        {
            final int count = 1000;
            final List<CompletableFuture<WriteResult>> writes = new ArrayList<>();
            for (int i = 0; i < count; i++)
            {
                writes.add(client.setAsync(bytes("p" + i), bytes("value-" + i), 0));
            }
            CompletableFuture.allOf(writes.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
            final List<CompletableFuture<GetResult>> reads = new ArrayList<>();
            for (int i = 0; i < count; i++)
            {
                assertTrue(writes.get(i).get().ok());
                reads.add(client.getAsync(bytes("p" + i)));
            }
            for (int i = 0; i < count; i++)
            {
                final GetResult read = reads.get(i).get(30, TimeUnit.SECONDS);
                assertArrayEquals(bytes("value-" + i), read.value(), "answer " + i + " matched to its own request");
                assertEquals(writes.get(i).get().version(), read.version());
            }
            assertEquals(0, client.droppedAnswers());
        }
    }

    @Test
    void shouldMakeCallersWaitWhenMaxInFlightRequestsAreOutstanding() throws Exception
    {
        final FakeNode slowNode = cluster.nodes.get(0);
        try (FerriteClient client = FerriteClient.connect(
            new ClientConfig().seeds(slowNode.hostPort()).routingMode(RoutingMode.PROXY).maxInFlight(4).requestTimeoutMs(5000)))
        {
            client.ping(); // opens the session, so all four slots are free for requests
            slowNode.answerDelayMs = 150;
            final List<CompletableFuture<GetResult>> outstanding = new ArrayList<>();
            for (int i = 0; i < 4; i++)
            {
                outstanding.add(client.getAsync(bytes("slow" + i)));
            }
            final FerriteTimeoutException busy = assertThrows(
                FerriteTimeoutException.class, () -> client.withTimeout(Duration.ofMillis(50)).get(bytes("fifth")));
            assertTrue(busy.getMessage().contains("maxInFlight"), busy.getMessage());
            for (final CompletableFuture<GetResult> future : outstanding)
            {
                assertFalse(future.get(10, TimeUnit.SECONDS).found());
            }
            slowNode.answerDelayMs = 0;
            assertFalse(client.get(bytes("fifth")).found(), "slots are free again once answers arrive");
        }
        finally
        {
            slowNode.answerDelayMs = 0;
        }
    }
}
