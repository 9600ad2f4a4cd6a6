package dev.ferrite.transport.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a cluster file says: the topology epoch, the virtual nodes per node and the nodes. Immutable;
 * {@link #compile()} turns it into the slot table every node and client routes by.
 *
 * @param epoch               the topology epoch (&gt;= 0); a higher epoch wins.
 * @param virtualNodesPerNode 1..{@link HashRing#MAX_VIRTUAL_NODES_PER_NODE}.
 * @param nodes               at least one node, sorted by id here; ids and endpoints unique.
 */
public record ClusterSpec(long epoch, int virtualNodesPerNode, List<NodeEndpoint> nodes)
{
    /** Nodes are indexed by id in {@link SlotTable}: a bound keeps that array small. */
    public static final int MAX_NODE_ID = 65_535;

    public ClusterSpec
    {
        if (epoch < 0)
        {
            throw new IllegalArgumentException("epoch must be >= 0: " + epoch);
        }
        if (virtualNodesPerNode < 1 || virtualNodesPerNode > HashRing.MAX_VIRTUAL_NODES_PER_NODE)
        {
            throw new IllegalArgumentException(
                "virtualNodesPerNode must be in 1.." + HashRing.MAX_VIRTUAL_NODES_PER_NODE + ": " + virtualNodesPerNode);
        }
        Objects.requireNonNull(nodes, "nodes");
        if (nodes.isEmpty())
        {
            throw new IllegalArgumentException("a cluster needs at least one node");
        }
        final List<NodeEndpoint> sorted = new ArrayList<>(nodes);
        sorted.sort(Comparator.comparingInt(NodeEndpoint::nodeId));
        final Map<String, Integer> idByEndpoint = new HashMap<>();
        for (int i = 0; i < sorted.size(); i++)
        {
            final NodeEndpoint node = sorted.get(i);
            if (node.nodeId() > MAX_NODE_ID)
            {
                throw new IllegalArgumentException("nodeId must be in 0.." + MAX_NODE_ID + ": " + node.nodeId());
            }
            if (i > 0 && sorted.get(i - 1).nodeId() == node.nodeId())
            {
                throw new IllegalArgumentException("duplicate nodeId " + node.nodeId());
            }
            final Integer previous = idByEndpoint.putIfAbsent(endpointKey(node), node.nodeId());
            if (previous != null)
            {
                throw new IllegalArgumentException(
                    "nodes " + previous + " and " + node.nodeId() + " share the endpoint " + node.endpoint());
            }
        }
        nodes = List.copyOf(sorted);
    }

    /** The ring this spec describes. */
    public HashRing ring()
    {
        return HashRing.of(nodes, virtualNodesPerNode);
    }

    /** The slot table at this spec's epoch. */
    public SlotTable compile()
    {
        return ring().compile(epoch);
    }

    /** Host names compare without case: {@code LOCALHOST:1} and {@code localhost:1} are one endpoint. */
    static String endpointKey(final NodeEndpoint node)
    {
        return node.host().toLowerCase(Locale.ROOT) + ":" + node.port();
    }
}
