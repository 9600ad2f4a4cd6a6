package dev.ferrite.transport.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * How well a slot table spreads slots, and how many slots a topology change moves. Used by
 * {@link RingBalanceReport} and the ring's tests.
 */
public final class RingStatistics
{
    private RingStatistics()
    {
    }

    /** Largest node share / mean share: 1.0 is perfect, 1.25 means the busiest node has 25% extra. */
    public static double balance(final SlotTable table)
    {
        final int[] counts = table.slotCountsByNode();
        int max = 0;
        for (final NodeEndpoint node : table.nodes())
        {
            max = Math.max(max, counts[node.nodeId()]);
        }
        final double mean = (double)SlotTable.SLOT_COUNT / table.nodes().size();
        return max / mean;
    }

    /** Fraction of slots whose owner differs between two tables (0..1). */
    public static double movedFraction(final SlotTable before, final SlotTable after)
    {
        int moved = 0;
        for (int slot = 0; slot < SlotTable.SLOT_COUNT; slot++)
        {
            if (before.ownerOf(slot) != after.ownerOf(slot))
            {
                moved++;
            }
        }
        return (double)moved / SlotTable.SLOT_COUNT;
    }

    /** Nodes 1..count on 127.0.0.1, ports 7101.., as a test or report cluster. */
    public static List<NodeEndpoint> loopbackNodes(final int count)
    {
        final List<NodeEndpoint> nodes = new ArrayList<>(count);
        for (int id = 1; id <= count; id++)
        {
            nodes.add(new NodeEndpoint(id, "127.0.0.1", 7100 + id));
        }
        return nodes;
    }
}
