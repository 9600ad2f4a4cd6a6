package dev.ferrite.node.server;

import dev.ferrite.transport.routing.NodeEndpoint;
import dev.ferrite.transport.routing.SlotTable;

import java.nio.charset.StandardCharsets;

/**
 * One slot table with what the handler needs pre-computed, so MOVED and topology answers never
 * allocate: each node's {@code host:port} as UTF-8 and the table as contiguous slot ranges. Immutable.
 */
public final class TopologyView
{
    private final SlotTable table;
    private final byte[][] endpointUtf8ById;
    private final int[] rangeFirstSlot;
    private final int[] rangeLastSlot;
    private final int[] rangeOwner;
    private final int rangeCount;

    public TopologyView(final SlotTable table)
    {
        this.table = table;
        int maxId = 0;
        for (final NodeEndpoint node : table.nodes())
        {
            maxId = Math.max(maxId, node.nodeId());
        }
        endpointUtf8ById = new byte[maxId + 1][];
        for (final NodeEndpoint node : table.nodes())
        {
            endpointUtf8ById[node.nodeId()] = node.endpoint().getBytes(StandardCharsets.UTF_8);
        }
        int ranges = 1;
        for (int slot = 1; slot < SlotTable.SLOT_COUNT; slot++)
        {
            if (table.ownerOf(slot) != table.ownerOf(slot - 1))
            {
                ranges++;
            }
        }
        rangeFirstSlot = new int[ranges];
        rangeLastSlot = new int[ranges];
        rangeOwner = new int[ranges];
        int range = 0;
        rangeFirstSlot[0] = 0;
        rangeOwner[0] = table.ownerOf(0);
        for (int slot = 1; slot < SlotTable.SLOT_COUNT; slot++)
        {
            if (table.ownerOf(slot) != rangeOwner[range])
            {
                rangeLastSlot[range] = slot - 1;
                range++;
                rangeFirstSlot[range] = slot;
                rangeOwner[range] = table.ownerOf(slot);
            }
        }
        rangeLastSlot[range] = SlotTable.SLOT_COUNT - 1;
        rangeCount = ranges;
    }

    public SlotTable table()
    {
        return table;
    }

    public long epoch()
    {
        return table.epoch();
    }

    /** {@code host:port} of a node as UTF-8; empty when the table does not know the node. */
    public byte[] endpointUtf8(final int nodeId)
    {
        final byte[] endpoint = nodeId >= 0 && nodeId < endpointUtf8ById.length ? endpointUtf8ById[nodeId] : null;
        return endpoint != null ? endpoint : EMPTY;
    }

    public int rangeCount()
    {
        return rangeCount;
    }

    public int rangeFirstSlot(final int range)
    {
        return rangeFirstSlot[range];
    }

    public int rangeLastSlot(final int range)
    {
        return rangeLastSlot[range];
    }

    public int rangeOwner(final int range)
    {
        return rangeOwner[range];
    }

    private static final byte[] EMPTY = new byte[0];
}
