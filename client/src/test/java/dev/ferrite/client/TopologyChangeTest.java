package dev.ferrite.client;

import dev.ferrite.transport.routing.SlotTable;
import dev.ferrite.transport.sbe.ErrorCode;

import java.nio.charset.StandardCharsets;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** MOVED answers: the client follows a topology change (DIRECT), learns owners (HANDOFF), and gives up after maxMovedRetries. */
class TopologyChangeTest
{
    private RealCluster cluster;

    @BeforeEach
    void startCluster()
    {
        cluster = new RealCluster(3, null);
    }

    @AfterEach
    void stopCluster()
    {
        cluster.close();
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static int slotOf(final byte[] key)
    {
        return SlotTable.slotOf(new UnsafeBuffer(key), 0, key.length);
    }

    private long movedAnswers()
    {
        return cluster.movedAnswers();
    }

    @Test
    void shouldFollowMovedToTheNewOwnerAndAdoptTheNewerTable()
    {
        try (FerriteClient client = FerriteClient.connect(new ClientConfig().seeds(cluster.seeds()).requestTimeoutMs(3000)))
        {
            final DirectRouter router = (DirectRouter)client.router();
            for (int i = 0; i < 20; i++)
            {
                assertTrue(client.set(bytes("k" + i), bytes("before")).ok());
            }
            assertEquals(0L, movedAnswers(), "the client routes by the table it fetched: no MOVED");
            assertEquals(1, router.table().epoch());

            cluster.applyTopology(cluster.splitTable(2, 1)); // every slot changes owner

            assertTrue(client.set(bytes("k0"), bytes("after")).ok());
            assertEquals(1L, movedAnswers(), "the first request after the change goes to the old owner once");
            assertEquals(2, router.table().epoch(), "MOVED carried a newer epoch: the client fetched the new table");
            for (int i = 0; i < 20; i++)
            {
                assertTrue(client.set(bytes("k" + i), bytes("after")).ok());
                assertArrayEquals(bytes("after"), client.get(bytes("k" + i)).value());
            }
            assertEquals(1L, movedAnswers(), "with the new table every request goes straight to the owner");
        }
    }

    @Test
    void shouldAdoptANewerEpochAnnouncedInAWelcomeBeforeSending()
    {
        try (FerriteClient client = FerriteClient.connect(new ClientConfig().seeds(cluster.seeds()).requestTimeoutMs(3000)))
        {
            final DirectRouter router = (DirectRouter)client.router();
            final SlotTable before = cluster.splitTable(1, 0);
            byte[] key = null;
            for (int i = 0; key == null; i++)
            {
                final byte[] candidate = bytes("w" + i);
                key = before.ownerOf(slotOf(candidate)) == 1 ? candidate : null;
            }
            cluster.applyTopology(cluster.splitTable(2, 1)); // the client has not met node 1 yet

            assertTrue(client.set(key, bytes("v")).ok());
            assertEquals(2, router.table().epoch(), "node 1's welcome announced epoch 2: the client fetched it");
            assertEquals(0L, movedAnswers(), "and routed the request by the new table, straight to the new owner");
        }
    }

    @Test
    void shouldFollowMovedForAsyncRequests() throws Exception
    {
        try (FerriteClient client = FerriteClient.connect(new ClientConfig().seeds(cluster.seeds()).requestTimeoutMs(3000)))
        {
            for (int i = 0; i < cluster.size(); i++)
            {
                client.ping(cluster.hostPort(i)); // sessions open at epoch 1, so only a MOVED can tell of epoch 2
            }
            cluster.applyTopology(cluster.splitTable(2, 2));
            final WriteResult written = client.setAsync(bytes("async"), bytes("v"), 0).get();
            assertTrue(written.ok());
            assertArrayEquals(bytes("v"), client.getAsync(bytes("async")).get().value());
            assertEquals(1L, movedAnswers());
        }
    }

    @Test
    void shouldLearnOwnersPerSlotFromMovedInHandoffMode()
    {
        try (FerriteClient client = FerriteClient.connect(
            new ClientConfig().seeds(cluster.seeds()).routingMode(RoutingMode.HANDOFF).requestTimeoutMs(3000)))
        {
            final HandoffRouter router = (HandoffRouter)client.router();
            final SlotTable table = cluster.splitTable(1, 0);
            byte[] foreign = null;
            for (int i = 0; foreign == null; i++)
            {
                final byte[] key = bytes("h" + i);
                if (table.ownerOf(slotOf(key)) == 2)
                {
                    foreign = key;
                }
            }
            assertNull(router.learnedOwner(slotOf(foreign)));
            assertTrue(client.set(foreign, bytes("v")).ok());
            assertEquals(1L, movedAnswers(), "the seed (node 0) handed the key off to its owner");
            assertEquals(cluster.hostPort(2), router.learnedOwner(slotOf(foreign)).hostPort());
            assertArrayEquals(bytes("v"), client.get(foreign).value());
            assertEquals(1L, movedAnswers(), "the learned owner is asked directly");

            cluster.applyTopology(cluster.splitTable(2, 1));
            assertTrue(client.set(foreign, bytes("w")).ok());
            assertEquals(2L, movedAnswers(), "after the change the old owner hands off once more");
            assertEquals(cluster.splitTable(2, 1).node(cluster.splitTable(2, 1).ownerOf(slotOf(foreign))).endpoint(),
                router.learnedOwner(slotOf(foreign)).hostPort());
        }
    }

    @Test
    void shouldFailAfterMaxMovedRetriesWhenNodesDisagree()
    {
        try (FerriteClient client = FerriteClient.connect(
            new ClientConfig().seeds(cluster.seeds()).routingMode(RoutingMode.HANDOFF).maxMovedRetries(3).requestTimeoutMs(3000)))
        {
            // Node 0 says node 1 owns everything; nodes 1 and 2 say node 0 does: the key bounces.
            cluster.applyTopology(0, cluster.allOwnedBy(1, 5));
            cluster.applyTopology(1, cluster.allOwnedBy(0, 5));
            cluster.applyTopology(2, cluster.allOwnedBy(0, 5));
            final FerriteException error = assertThrows(FerriteException.class, () -> client.get(bytes("bouncing")));
            assertEquals(ErrorCode.UNAVAILABLE, error.code());
            assertTrue(error.getMessage().contains("MOVED after 3 retries"), error.getMessage());
            assertEquals(4L, movedAnswers(), "one answer, then three retries, each MOVED");
        }
    }
}
