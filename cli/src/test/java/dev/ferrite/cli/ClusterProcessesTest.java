package dev.ferrite.cli;

import dev.ferrite.client.ClientConfig;
import dev.ferrite.client.FerriteClient;
import dev.ferrite.client.FerriteException;
import dev.ferrite.client.GetResult;
import dev.ferrite.client.RoutingMode;
import dev.ferrite.client.Status;
import dev.ferrite.client.WriteResult;
import dev.ferrite.transport.routing.ClusterFile;
import dev.ferrite.transport.routing.ClusterSpec;
import dev.ferrite.transport.routing.NodeEndpoint;
import dev.ferrite.transport.routing.SlotTable;
import dev.ferrite.transport.sbe.ErrorCode;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Three node processes started as {@code ferrite cluster start} starts them, with a shared secret:
 * every operation through each access pattern, a topology change applied from the edited cluster
 * file (MOVED followed), a stopped node timing out, and authentication refused and accepted.
 */
class ClusterProcessesTest
{
    private static final String SECRET = "s3cret";

    @Test
    void shouldServeAClusterOfNodeProcesses(@TempDir final Path directory) throws Exception
    {
        final LocalCluster cluster = new LocalCluster(new ClusterLayout(directory));
        try
        {
            final List<NodeEndpoint> nodes = cluster.start(3, freeBasePort(3), List.of("auth.secret=" + SECRET, "cache.capacityBytes=33554432"));
            final List<String> seeds = new ArrayList<>();
            nodes.forEach(node -> seeds.add(node.endpoint()));

            for (final RoutingMode mode : RoutingMode.values())
            {
                try (FerriteClient client = connect(seeds, mode, SECRET))
                {
                    everyOperation(client, mode.name());
                }
            }

            assertAuthenticationRefused(seeds);

            try (FerriteClient direct = connect(seeds, RoutingMode.DIRECT, SECRET))
            {
                topologyChangeIsFollowed(cluster, nodes, direct);
                stoppedNodeTimesOut(cluster, nodes, direct);
            }
        }
        finally
        {
            cluster.stop();
        }
    }

    private static void everyOperation(final FerriteClient client, final String tag)
    {
        for (int i = 0; i < 30; i++) // 30 keys land on all three nodes
        {
            final byte[] key = bytes(tag + ":key:" + i);
            final WriteResult set = client.set(key, bytes("v" + i), 60_000);
            assertTrue(set.ok(), tag);
            final GetResult got = client.get(key);
            assertArrayEquals(bytes("v" + i), got.value(), tag);
            assertEquals(set.version(), got.version());
            assertTrue(got.ttlRemainingMillis() > 0 && got.ttlRemainingMillis() <= 60_000);
            assertEquals(Status.EXISTS, client.setIfAbsent(key, bytes("x"), 0).status());
            assertEquals(Status.VERSION_MISMATCH, client.setIfVersion(key, bytes("x"), 0, set.version() + 1).status());
            final WriteResult swapped = client.setIfVersion(key, bytes("w" + i), 0, set.version());
            assertTrue(swapped.ok());
            assertTrue(client.setIfPresent(key, bytes("p" + i), 0).ok());
            assertTrue(client.touch(key, 5_000).ok());
            assertEquals(Status.NOT_FOUND, client.setIfPresent(bytes(tag + ":absent:" + i), bytes("x"), 0).status());
            assertEquals(7, client.increment(bytes(tag + ":counter:" + i), 7, 7, 0));
            assertEquals(4, client.increment(bytes(tag + ":counter:" + i), -3));
            assertTrue(client.delete(key).ok());
            assertFalse(client.get(key).found());
            assertEquals(Status.NOT_FOUND, client.delete(key).status());
        }
        final List<GetResult> many = client.getAll(List.of(bytes(tag + ":counter:0"), bytes(tag + ":counter:1"), bytes(tag + ":none")));
        assertArrayEquals(bytes("4"), many.get(0).value());
        assertArrayEquals(bytes("4"), many.get(1).value());
        assertFalse(many.get(2).found());
        assertTrue(client.ping() >= 0);
        assertEquals(3, client.topology().nodes().size());
        assertTrue(client.stats().counters().get("requests.set") > 0, tag);
    }

    private static void assertAuthenticationRefused(final List<String> seeds)
    {
        final FerriteException refused = assertThrows(FerriteException.class, () ->
        {
            try (FerriteClient wrong = connect(seeds, RoutingMode.DIRECT, "wrong"))
            {
                wrong.get(bytes("any"));
            }
        });
        assertEquals(ErrorCode.AUTHENTICATION_FAILED, refused.code(), refused.getMessage());
    }

    private static void topologyChangeIsFollowed(final LocalCluster cluster, final List<NodeEndpoint> nodes, final FerriteClient client)
        throws Exception
    {
        // Node 3 leaves the ring (epoch 2): its slots move to nodes 1 and 2, which hold none of its data.
        final SlotTable before = client.topology();
        byte[] key = null;
        for (int i = 0; key == null; i++)
        {
            final byte[] candidate = bytes("moving:" + i);
            if (before.ownerOfKey(new UnsafeBuffer(candidate), 0, candidate.length) == 3)
            {
                key = candidate;
            }
        }
        assertTrue(client.set(key, bytes("on node 3"), 0).ok());
        ClusterFile.write(new ClusterSpec(2, ClusterFile.read(cluster.layout().clusterFile()).virtualNodesPerNode(), nodes.subList(0, 2)),
            cluster.layout().clusterFile());
        awaitLog(cluster, 3, "topology epoch 2 applied");
        awaitLog(cluster, 1, "topology epoch 2 applied");
        awaitLog(cluster, 2, "topology epoch 2 applied");

        final long movedBefore = client.stats(nodes.get(2).endpoint()).counters().get("moved.sent");
        final GetResult afterMove = client.get(key); // sent to node 3 by the stale table, MOVED, retried at the new owner
        assertFalse(afterMove.found(), "the new owner has no copy: data moves with replication, not yet");
        assertTrue(client.stats(nodes.get(2).endpoint()).counters().get("moved.sent") > movedBefore, "node 3 answered MOVED");
        assertEquals(2, client.topology().epoch());
        assertTrue(client.set(key, bytes("on its new owner"), 0).ok());
        assertArrayEquals(bytes("on its new owner"), client.get(key).value());
    }

    private static void stoppedNodeTimesOut(final LocalCluster cluster, final List<NodeEndpoint> nodes, final FerriteClient client)
        throws Exception
    {
        final SlotTable table = client.topology();
        byte[] key = null;
        for (int i = 0; key == null; i++)
        {
            final byte[] candidate = bytes("stopped:" + i);
            if (table.ownerOfKey(new UnsafeBuffer(candidate), 0, candidate.length) == 2)
            {
                key = candidate;
            }
        }
        final ProcessHandle node2 = cluster.process(2).orElseThrow();
        node2.destroy();
        node2.onExit().get();
        final byte[] owned = key;
        final long startNs = System.nanoTime();
        final FerriteException timedOut = assertThrows(FerriteException.class,
            () -> client.withTimeout(java.time.Duration.ofMillis(500)).get(owned));
        assertEquals(ErrorCode.TIMEOUT, timedOut.code(), timedOut.getMessage());
        assertTrue(System.nanoTime() - startNs < 5_000_000_000L, "the timeout holds");
        assertTrue(client.get(bytes("moving:elsewhere")).status() != null, "the other nodes still serve");
    }

    private static FerriteClient connect(final List<String> seeds, final RoutingMode mode, final String secret)
    {
        return FerriteClient.connect(new ClientConfig()
            .seeds(mode == RoutingMode.DIRECT ? seeds : seeds.subList(0, 1))
            .routingMode(mode)
            .secret(secret)
            .connectTimeoutMs(10_000)
            .requestTimeoutMs(10_000));
    }

    private static void awaitLog(final LocalCluster cluster, final int nodeId, final String text) throws Exception
    {
        final Path log = cluster.layout().log(nodeId);
        final long deadlineNs = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadlineNs)
        {
            if (Files.readString(log, StandardCharsets.UTF_8).contains(text))
            {
                return;
            }
            Thread.sleep(50);
        }
        fail("node " + nodeId + " never logged '" + text + "':\n" + LocalCluster.tail(log));
    }

    /** A base port with {@code count} free UDP ports and their metrics TCP ports (port + 1000). */
    static int freeBasePort(final int count) throws IOException
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            final int base = 20_000 + ThreadLocalRandom.current().nextInt(20_000);
            if (free(base, count))
            {
                return base;
            }
        }
        throw new IOException("no free port range found");
    }

    private static boolean free(final int base, final int count)
    {
        for (int port = base; port < base + count; port++)
        {
            try (DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress());
                ServerSocket tcp = new ServerSocket(port + NodeArguments.METRICS_PORT_OFFSET, 1, InetAddress.getLoopbackAddress()))
            {
                udp.getLocalPort();
                tcp.getLocalPort();
            }
            catch (final IOException ex)
            {
                return false;
            }
        }
        return true;
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
