package dev.ferrite.client;

import dev.ferrite.transport.routing.SlotTable;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** A stopped node: its keys time out within the request timeout, the other nodes keep serving theirs. */
class NodeFailureTest
{
    private static byte[] keyOwnedBy(final SlotTable table, final int owner, final String prefix)
    {
        for (int i = 0; ; i++)
        {
            final byte[] key = (prefix + i).getBytes(StandardCharsets.UTF_8);
            if (table.ownerOf(SlotTable.slotOf(new UnsafeBuffer(key), 0, key.length)) == owner)
            {
                return key;
            }
        }
    }

    @Test
    void shouldSayHelloAgainWhenANodeRestarts()
    {
        try (RealCluster cluster = new RealCluster(3, null);
            FerriteClient client = FerriteClient.connect(new ClientConfig().seeds(cluster.seeds()).requestTimeoutMs(3000)))
        {
            final byte[] key = keyOwnedBy(cluster.splitTable(1, 0), 2, "restarted-");
            assertTrue(client.set(key, key).ok());

            cluster.restart(2); // an empty node that drops requests from sessions it has not welcomed

            assertFalse(client.get(key).found(), "the new node answered (its cache starts empty)");
            assertTrue(client.set(key, key).ok());
            assertArrayEquals(key, client.get(key).value());
        }
    }

    @Test
    void shouldTimeOutRequestsForAStoppedNodeAndServeTheOthers()
    {
        try (RealCluster cluster = new RealCluster(3, null);
            FerriteClient client = FerriteClient.connect(new ClientConfig().seeds(cluster.seeds()).connectTimeoutMs(200).requestTimeoutMs(3000)))
        {
            final SlotTable table = cluster.splitTable(1, 0);
            final byte[] onStopped = keyOwnedBy(table, 2, "stopped-");
            final byte[] onLive = keyOwnedBy(table, 1, "live-");
            assertTrue(client.set(onStopped, onStopped).ok());
            assertTrue(client.set(onLive, onLive).ok());

            cluster.stop(2);

            final FerriteClient impatient = client.withTimeout(Duration.ofMillis(400));
            final long startNs = System.nanoTime();
            assertThrows(FerriteTimeoutException.class, () -> impatient.get(onStopped));
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            assertTrue(elapsedMs >= 400 && elapsedMs < 2500, "gave up after " + elapsedMs + " ms");
            assertArrayEquals(onLive, impatient.get(onLive).value());
        }
    }
}
