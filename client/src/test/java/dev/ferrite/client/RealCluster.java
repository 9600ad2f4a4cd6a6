package dev.ferrite.client;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.node.FerriteNode;
import dev.ferrite.node.NodeConfig;
import dev.ferrite.node.server.NodeCounters;
import dev.ferrite.transport.aeron.EmbeddedMediaDriver;
import dev.ferrite.transport.aeron.IdleStrategies;
import dev.ferrite.transport.routing.NodeEndpoint;
import dev.ferrite.transport.routing.SlotTable;

import java.util.ArrayList;
import java.util.List;

import org.agrona.CloseHelper;

/**
 * Real {@link FerriteNode}s (module node) on one shared embedded media driver (one driver thread, not
 * three, on a 2-core machine), bound to ephemeral ports; the split table is applied once all are up.
 */
final class RealCluster implements TestCluster
{
    private final EmbeddedMediaDriver driver;
    private final String secret;
    private final List<FerriteNode> nodes = new ArrayList<>();
    private final List<NodeEndpoint> endpoints = new ArrayList<>();
    private final boolean[] stopped;

    RealCluster(final int size, final String secretOrNull)
    {
        stopped = new boolean[size];
        secret = secretOrNull;
        driver = EmbeddedMediaDriver.launch("real-nodes", IdleStrategies.BACKOFF);
        try
        {
            for (int i = 0; i < size; i++)
            {
                final FerriteNode node = startNode(i, 0);
                nodes.add(node);
                endpoints.add(node.endpoint());
            }
            applyTopology(splitTable(1, 0));
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    /** The nodes' media driver (its own thread): a client may share it instead of embedding one. */
    String aeronDirectoryName()
    {
        return driver.aeronDirectoryName();
    }

    private FerriteNode startNode(final int nodeId, final int port)
    {
        return FerriteNode.start(new NodeConfig()
            .nodeId(nodeId)
            .port(port)
            .aeronDirectoryName(driver.aeronDirectoryName())
            .sharedSecret(secret)
            .cacheConfig(new CacheConfig().capacityBytes(32 << 20))); // 32 MiB: segments large enough for 1 MiB values
    }

    /** Stops a node and starts an empty one with the same id, port and slot table: it knows no client sessions. */
    void restart(final int node)
    {
        final SlotTable table = nodes.get(node).topology();
        stop(node);
        final long deadlineMs = System.currentTimeMillis() + 5000;
        FerriteNode restarted = null;
        while (restarted == null)
        {
            try
            {
                restarted = startNode(node, endpoints.get(node).port());
            }
            catch (final io.aeron.exceptions.RegistrationException ex)
            {
                // The shared driver closes the old receive endpoint asynchronously: the port frees soon.
                if (System.currentTimeMillis() > deadlineMs)
                {
                    throw ex;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
            }
        }
        nodes.set(node, restarted);
        stopped[node] = false;
        nodes.get(node).applyTopology(table);
    }

    FerriteNode node(final int node)
    {
        return nodes.get(node);
    }

    @Override
    public int size()
    {
        return nodes.size();
    }

    @Override
    public NodeEndpoint endpoint(final int node)
    {
        return endpoints.get(node);
    }

    @Override
    public void applyTopology(final int node, final SlotTable table)
    {
        if (!stopped[node])
        {
            nodes.get(node).applyTopology(table);
        }
    }

    @Override
    public void stop(final int node)
    {
        stopped[node] = true;
        nodes.get(node).close();
    }

    @Override
    public long movedAnswers(final int node)
    {
        return nodes.get(node).counters().get(NodeCounters.MOVED_SENT);
    }

    @Override
    public long keyedRequests(final int node)
    {
        final NodeCounters counters = nodes.get(node).counters();
        return counters.get(NodeCounters.REQUESTS_GET) + counters.get(NodeCounters.REQUESTS_MULTI_GET) + counters.get(NodeCounters.REQUESTS_SET) +
            counters.get(NodeCounters.REQUESTS_DELETE) + counters.get(NodeCounters.REQUESTS_TOUCH) + counters.get(NodeCounters.REQUESTS_INCREMENT);
    }

    @Override
    public long proxied(final int node)
    {
        return nodes.get(node).counters().get(NodeCounters.FORWARDED);
    }

    @Override
    public void close()
    {
        for (int i = 0; i < nodes.size(); i++)
        {
            if (!stopped[i])
            {
                CloseHelper.quietClose(nodes.get(i));
            }
        }
        CloseHelper.quietClose(driver);
    }
}
