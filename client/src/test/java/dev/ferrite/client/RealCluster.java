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
    private final List<FerriteNode> nodes = new ArrayList<>();
    private final List<NodeEndpoint> endpoints = new ArrayList<>();
    private final boolean[] stopped;

    RealCluster(final int size, final String secretOrNull)
    {
        stopped = new boolean[size];
        driver = EmbeddedMediaDriver.launch("real-nodes", IdleStrategies.BACKOFF);
        try
        {
            for (int i = 0; i < size; i++)
            {
                final FerriteNode node = FerriteNode.start(new NodeConfig()
                    .nodeId(i)
                    .port(0)
                    .aeronDirectoryName(driver.aeronDirectoryName())
                    .sharedSecret(secretOrNull)
                    .cacheConfig(new CacheConfig().capacityBytes(16 << 20)));
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
