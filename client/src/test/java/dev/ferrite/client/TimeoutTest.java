package dev.ferrite.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Per-request timeouts against a test-only node that can stay silent or answer late: sync and async calls
 * fail with FerriteTimeoutException; late answers are dropped.
 */
class TimeoutTest
{
    private static FakeCluster cluster;
    private FerriteClient client;

    @BeforeAll
    static void startCluster()
    {
        cluster = new FakeCluster(1, null);
    }

    @AfterAll
    static void stopCluster()
    {
        cluster.close();
    }

    @BeforeEach
    void connect()
    {
        cluster.nodes.get(0).silent = false;
        cluster.nodes.get(0).answerDelayMs = 0;
        client = FerriteClient.connect(new ClientConfig().seeds(cluster.seeds()).requestTimeoutMs(2000));
        assertTrue(client.set(bytes("warm"), bytes("up")).ok()); // the session is open
    }

    @AfterEach
    void close()
    {
        client.close();
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldTimeOutSyncCallWhenTheNodeDoesNotAnswer()
    {
        cluster.nodes.get(0).silent = true;
        final long startNs = System.nanoTime();
        assertThrows(FerriteTimeoutException.class, () -> client.withTimeout(Duration.ofMillis(150)).get(bytes("warm")));
        final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        assertTrue(elapsedMs >= 150 && elapsedMs < 1500, "timed out after " + elapsedMs + " ms");
    }

    @Test
    void shouldFailAsyncCallWithTimeoutWhenTheNodeDoesNotAnswer()
    {
        cluster.nodes.get(0).silent = true;
        final ExecutionException error = assertThrows(
            ExecutionException.class, () -> client.withTimeout(Duration.ofMillis(100)).getAsync(bytes("warm")).get(5, TimeUnit.SECONDS));
        assertInstanceOf(FerriteTimeoutException.class, error.getCause());
    }

    @Test
    void shouldDropAnAnswerThatArrivesAfterTheTimeoutAndKeepWorking() throws Exception
    {
        cluster.nodes.get(0).answerDelayMs = 300;
        assertThrows(FerriteTimeoutException.class, () -> client.withTimeout(Duration.ofMillis(50)).get(bytes("warm")));
        final long deadlineMs = System.currentTimeMillis() + 3000;
        while (client.droppedAnswers() == 0 && System.currentTimeMillis() < deadlineMs)
        {
            Thread.sleep(10);
        }
        assertEquals(1, client.droppedAnswers(), "the late answer matched no request in flight");
        cluster.nodes.get(0).answerDelayMs = 0;
        assertArrayEquals(bytes("up"), client.get(bytes("warm")).value(), "the slot that timed out is reused correctly");
    }
}
