package dev.ferrite.transport.routing;

import dev.ferrite.engine.hash.RoutingSlot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.agrona.DirectBuffer;

/**
 * Which node owns each of the 16,384 key slots, at one topology epoch. Immutable, so a router swaps
 * the whole table with one volatile write when the topology changes and readers never see a mix of
 * two epochs.
 *
 * <p>A slot is Redis Cluster's: CRC16 (XMODEM) of the key, or of its first non-empty
 * {@code {hash tag}}, mod 16384 ({@link RoutingSlot}).
 */
public final class SlotTable
{
    public static final int SLOT_COUNT = RoutingSlot.SLOT_COUNT;

    private final long epoch;
    private final List<NodeEndpoint> nodes;
    private final NodeEndpoint[] nodesById;
    private final int[] ownerBySlot;

    /**
     * @param epoch       increases with every topology change; a higher epoch wins.
     * @param nodes       every node of the cluster, ids unique.
     * @param ownerBySlot {@link #SLOT_COUNT} node ids, each one of {@code nodes}; copied.
     */
    public SlotTable(final long epoch, final List<NodeEndpoint> nodes, final int[] ownerBySlot)
    {
        if (epoch < 0)
        {
            throw new IllegalArgumentException("epoch must be >= 0: " + epoch);
        }
        if (ownerBySlot.length != SLOT_COUNT)
        {
            throw new IllegalArgumentException("need " + SLOT_COUNT + " slot owners, got " + ownerBySlot.length);
        }
        int maxId = -1;
        for (final NodeEndpoint node : nodes)
        {
            maxId = Math.max(maxId, node.nodeId());
        }
        final NodeEndpoint[] byId = new NodeEndpoint[maxId + 1];
        for (final NodeEndpoint node : nodes)
        {
            if (byId[node.nodeId()] != null)
            {
                throw new IllegalArgumentException("duplicate nodeId " + node.nodeId());
            }
            byId[node.nodeId()] = node;
        }
        for (int slot = 0; slot < SLOT_COUNT; slot++)
        {
            final int owner = ownerBySlot[slot];
            if (owner < 0 || owner >= byId.length || byId[owner] == null)
            {
                throw new IllegalArgumentException("slot " + slot + " owned by unknown node " + owner);
            }
        }
        this.epoch = epoch;
        this.nodes = Collections.unmodifiableList(new ArrayList<>(nodes));
        this.nodesById = byId;
        this.ownerBySlot = ownerBySlot.clone();
    }

    public long epoch()
    {
        return epoch;
    }

    public List<NodeEndpoint> nodes()
    {
        return nodes;
    }

    /** The node with this id, or null if the cluster has none. */
    public NodeEndpoint node(final int nodeId)
    {
        return nodeId >= 0 && nodeId < nodesById.length ? nodesById[nodeId] : null;
    }

    public int ownerOf(final int slot)
    {
        return ownerBySlot[slot];
    }

    public static int slotOf(final DirectBuffer key, final int offset, final int length)
    {
        return RoutingSlot.slot(key, offset, length);
    }

    public int ownerOfKey(final DirectBuffer key, final int offset, final int length)
    {
        return ownerBySlot[RoutingSlot.slot(key, offset, length)];
    }

    /** Number of slots each node owns, indexed by node id. */
    public int[] slotCountsByNode()
    {
        final int[] counts = new int[nodesById.length];
        for (final int owner : ownerBySlot)
        {
            counts[owner]++;
        }
        return counts;
    }

    @Override
    public String toString()
    {
        return "SlotTable{epoch=" + epoch + ", nodes=" + nodes + ", slotsByNode=" + Arrays.toString(slotCountsByNode()) + '}';
    }
}
