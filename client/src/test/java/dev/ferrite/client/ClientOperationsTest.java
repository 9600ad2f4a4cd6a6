package dev.ferrite.client;

import dev.ferrite.node.server.NodeCounters;
import dev.ferrite.transport.sbe.ErrorCode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.*;

/** Every operation, through each routing mode, against three real nodes in this JVM. */
class ClientOperationsTest
{
    private static RealCluster cluster;
    /** One client per mode for the whole class: each starts its own media driver, which is slow on 2 cores. */
    private static final Map<RoutingMode, FerriteClient> CLIENTS = new EnumMap<>(RoutingMode.class);

    @BeforeAll
    static void startCluster()
    {
        cluster = new RealCluster(3, null);
    }

    @AfterAll
    static void stopCluster()
    {
        CLIENTS.values().forEach(FerriteClient::close);
        cluster.close();
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static long[] sessionsOpened()
    {
        final long[] opened = new long[cluster.size()];
        for (int i = 0; i < opened.length; i++)
        {
            opened[i] = cluster.node(i).counters().get(NodeCounters.SESSIONS_OPENED);
        }
        return opened;
    }

    private static FerriteClient client(final RoutingMode mode)
    {
        return CLIENTS.computeIfAbsent(mode, m -> FerriteClient.connect(new ClientConfig().seeds(cluster.seeds()).routingMode(m).requestTimeoutMs(5000)));
    }

    @ParameterizedTest
    @EnumSource(RoutingMode.class)
    void shouldSetGetDeleteTouchAndIncrementKeysOnEveryNode(final RoutingMode mode)
    {
        final long[] keyedBefore = new long[cluster.size()];
        final long[] proxiedBefore = new long[cluster.size()];
        for (int i = 0; i < cluster.size(); i++)
        {
            keyedBefore[i] = cluster.keyedRequests(i);
            proxiedBefore[i] = cluster.proxied(i);
        }
        final FerriteClient client = client(mode);
        {
            for (int i = 0; i < 30; i++)
            {
                final byte[] key = bytes(mode + "-key-" + i);
                assertFalse(client.get(key).found());
                final WriteResult written = client.set(key, bytes("v" + i), 60_000);
                assertTrue(written.ok());
                final GetResult read = client.get(key);
                assertArrayEquals(bytes("v" + i), read.value());
                assertEquals(written.version(), read.version());
                assertTrue(read.ttlRemainingMillis() > 0 && read.ttlRemainingMillis() <= 60_000, "ttl " + read.ttlRemainingMillis());
                assertEquals(Status.OK, client.touch(key, 0).status());
                assertEquals(-1, client.get(key).ttlRemainingMillis());
                assertEquals(Status.OK, client.delete(key).status());
                assertEquals(Status.NOT_FOUND, client.delete(key).status());
                assertEquals(Status.NOT_FOUND, client.touch(key, 5).status());
            }
            final byte[] counter = bytes(mode + "-counter");
            assertEquals(10, client.increment(counter, 1, 10, 0));
            assertEquals(15, client.increment(counter, 5));
            assertEquals(12, client.decrement(counter, 3));
            final FerriteException notANumber = assertThrows(FerriteException.class, () ->
            {
                client.set(bytes(mode + "-text"), bytes("abc"));
                client.increment(bytes(mode + "-text"), 1);
            });
            assertEquals(ErrorCode.NOT_A_NUMBER, notANumber.code());
        }
        for (int i = 0; i < cluster.size(); i++)
        {
            assertTrue(cluster.keyedRequests(i) > keyedBefore[i], "node " + i + " handled some of the keys");
            final long proxied = cluster.proxied(i) - proxiedBefore[i];
            if (mode == RoutingMode.PROXY)
            {
                assertEquals(i == 0, proxied > 0, "only the first seed proxies, node " + i + " proxied " + proxied);
            }
            else
            {
                assertEquals(0, proxied, "DIRECT and HANDOFF send every key to its owner, node " + i);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = RoutingMode.class, names = { "DIRECT", "HANDOFF" })
    void shouldOpenOneSessionPerNodeLazilyAndReuseIt(final RoutingMode mode)
    {
        final long[] before = sessionsOpened();
        try (FerriteClient client = FerriteClient.connect(new ClientConfig().seeds(cluster.seeds()).routingMode(mode).requestTimeoutMs(5000)))
        {
            final long[] afterConnect = sessionsOpened();
            assertEquals(mode == RoutingMode.DIRECT ? 1 : 0, afterConnect[0] - before[0], "DIRECT fetches the table from the first seed");
            assertEquals(0, afterConnect[1] - before[1], "no session before the first request for node 1");
            for (int i = 0; i < 60; i++)
            {
                client.set(bytes(mode + "-session-" + i), bytes("v"));
                client.get(bytes(mode + "-session-" + i));
            }
            final long[] after = sessionsOpened();
            for (int i = 0; i < cluster.size(); i++)
            {
                assertEquals(1, after[i] - before[i], "one session to node " + i + ", reused by 120 requests");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(RoutingMode.class)
    void shouldApplySetConditionsAndVersions(final RoutingMode mode)
    {
        final FerriteClient client = client(mode);
        {
            final byte[] key = bytes(mode + "-conditional");
            assertEquals(Status.NOT_FOUND, client.setIfPresent(key, bytes("a"), 0).status());
            final WriteResult created = client.setIfAbsent(key, bytes("a"), 0);
            assertEquals(Status.OK, created.status());
            assertEquals(Status.EXISTS, client.setIfAbsent(key, bytes("b"), 0).status());
            assertEquals(Status.VERSION_MISMATCH, client.setIfVersion(key, bytes("c"), 0, created.version() + 100).status());
            final WriteResult replaced = client.setIfVersion(key, bytes("c"), 0, created.version());
            assertEquals(Status.OK, replaced.status());
            assertEquals(Status.OK, client.setIfPresent(key, bytes("d"), 0).status());
            assertEquals(Status.VERSION_MISMATCH, client.delete(key, replaced.version()).status());
            assertArrayEquals(bytes("d"), client.get(key).value());
            assertEquals(Status.OK, client.delete(key, client.get(key).version()).status());
        }
    }

    @ParameterizedTest
    @EnumSource(RoutingMode.class)
    void shouldGetManyKeysInOrderAcrossNodes(final RoutingMode mode)
    {
        final FerriteClient client = client(mode);
        {
            final List<byte[]> keys = new ArrayList<>();
            for (int i = 0; i < 40; i++)
            {
                keys.add(bytes(mode + "-multi-" + i));
                if (i % 2 == 0)
                {
                    client.set(keys.get(i), bytes("value-" + i));
                }
            }
            final List<GetResult> results = client.getAll(keys);
            assertEquals(keys.size(), results.size());
            for (int i = 0; i < keys.size(); i++)
            {
                if (i % 2 == 0)
                {
                    assertArrayEquals(bytes("value-" + i), results.get(i).value(), "key " + i);
                }
                else
                {
                    assertFalse(results.get(i).found(), "key " + i);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(RoutingMode.class)
    void shouldCarryAOneMebibyteValueBothWays(final RoutingMode mode)
    {
        final FerriteClient client = client(mode);
        final byte[] value = new byte[1 << 20];
        new java.util.Random(42).nextBytes(value);
        final byte[] key = bytes(mode + "-large");
        assertTrue(client.set(key, value).ok());
        assertArrayEquals(value, client.get(key).value());
        final org.agrona.ExpandableArrayBuffer destination = new org.agrona.ExpandableArrayBuffer(16);
        assertEquals(value.length, client.get(new org.agrona.concurrent.UnsafeBuffer(key), 0, key.length, destination, 0));
        assertEquals(ClientStatus.BUFFER_TOO_SMALL,
            client.get(new org.agrona.concurrent.UnsafeBuffer(key), 0, key.length, new org.agrona.concurrent.UnsafeBuffer(new byte[100]), 0));
    }

    @ParameterizedTest
    @EnumSource(RoutingMode.class)
    void shouldPingQueryTopologyAndStats(final RoutingMode mode)
    {
        final FerriteClient client = client(mode);
        {
            assertTrue(client.ping() > 0);
            assertTrue(client.ping(cluster.hostPort(2)) > 0);
            assertEquals(cluster.splitTable(1, 0).toString(), client.topology().toString());
            final NodeStats stats = client.stats(cluster.hostPort(1));
            assertEquals(1, stats.nodeId());
            assertFalse(stats.counters().isEmpty(), stats.toString());
            assertTrue(client.pingAsync(null).join() > 0);
            assertEquals(cluster.splitTable(1, 0).toString(), client.topologyAsync(cluster.hostPort(1)).join().toString());
            assertEquals(2, client.statsAsync(cluster.hostPort(2)).join().nodeId());
        }
    }
}
