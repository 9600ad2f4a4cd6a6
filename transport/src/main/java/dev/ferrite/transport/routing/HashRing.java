package dev.ferrite.transport.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A consistent-hash ring of virtual nodes that places the 16,384 key slots on nodes.
 *
 * <p>Design: every node owns {@code virtualNodesPerNode} points on a 64-bit ring
 * ({@link RingPositions#ofVirtualNode}); every slot has one point ({@link RingPositions#ofSlot}).
 * The owner of a slot is the node of the first virtual node at or after the slot's point, going
 * clockwise (increasing positions, wrapping from the largest to the smallest); its replica
 * candidates are the next distinct nodes met further clockwise. Adding or removing a node therefore
 * moves only the slots that the node's own virtual nodes take or give back: about 1/N of them.
 *
 * <pre>
 *        slot s                    clockwise
 *   ----o---x------x----x------x-----o------x----&gt;  (wraps)
 *           A      B    A      C            B
 *   owner(s) = A, replica candidates(s) = B, C
 * </pre>
 *
 * <p>The ring is immutable and built once: virtual nodes are sorted by position (all distinct, as
 * {@link RingPositions} is a bijection), and every lookup is a binary search,
 * so {@link #compile(long)} costs O(slots * log(virtual nodes)). Thread-safe.
 */
public final class HashRing
{
    /** Beyond this the 16,384 slots, not the ring, limit balance, and the ring only costs memory. */
    public static final int MAX_VIRTUAL_NODES_PER_NODE = 4096;

    private final List<NodeEndpoint> nodes;
    private final int virtualNodesPerNode;
    private final int distinctNodeCount;
    private final long[] positions;   // sorted ascending (signed), one per virtual node
    private final int[] nodeIdAt;     // node id of the virtual node at the same index

    private HashRing(final List<NodeEndpoint> nodes, final int virtualNodesPerNode, final long[] positions, final int[] nodeIdAt)
    {
        this.nodes = nodes;
        this.virtualNodesPerNode = virtualNodesPerNode;
        this.distinctNodeCount = nodes.size();
        this.positions = positions;
        this.nodeIdAt = nodeIdAt;
    }

    /**
     * @param nodes               at least one node, ids unique.
     * @param virtualNodesPerNode 1..{@link #MAX_VIRTUAL_NODES_PER_NODE}; more means better balance
     *                            (see docs/routing.md for measured figures).
     */
    public static HashRing of(final List<NodeEndpoint> nodes, final int virtualNodesPerNode)
    {
        Objects.requireNonNull(nodes, "nodes");
        if (nodes.isEmpty())
        {
            throw new IllegalArgumentException("a ring needs at least one node");
        }
        if (virtualNodesPerNode < 1 || virtualNodesPerNode > MAX_VIRTUAL_NODES_PER_NODE)
        {
            throw new IllegalArgumentException(
                "virtualNodesPerNode must be in 1.." + MAX_VIRTUAL_NODES_PER_NODE + ": " + virtualNodesPerNode);
        }
        final List<NodeEndpoint> sorted = new ArrayList<>(nodes);
        sorted.sort(Comparator.comparingInt(NodeEndpoint::nodeId));
        final Set<Integer> ids = new HashSet<>();
        for (final NodeEndpoint node : sorted)
        {
            if (!ids.add(Objects.requireNonNull(node, "node").nodeId()))
            {
                throw new IllegalArgumentException("duplicate nodeId " + node.nodeId());
            }
        }

        final int count = sorted.size() * virtualNodesPerNode;
        final long[] positions = new long[count];
        int i = 0;
        for (final NodeEndpoint node : sorted)
        {
            for (int v = 0; v < virtualNodesPerNode; v++)
            {
                positions[i++] = RingPositions.ofVirtualNode(node.nodeId(), v);
            }
        }
        // A primitive sort, then each virtual node finds its own index: positions are distinct
        // (RingPositions is a bijection of distinct (nodeId, index) words), so the search is exact.
        Arrays.sort(positions);
        final int[] nodeIdAt = new int[count];
        for (final NodeEndpoint node : sorted)
        {
            for (int v = 0; v < virtualNodesPerNode; v++)
            {
                nodeIdAt[Arrays.binarySearch(positions, RingPositions.ofVirtualNode(node.nodeId(), v))] = node.nodeId();
            }
        }
        return new HashRing(Collections.unmodifiableList(sorted), virtualNodesPerNode, positions, nodeIdAt);
    }

    /** The nodes, sorted by id. */
    public List<NodeEndpoint> nodes()
    {
        return nodes;
    }

    public int virtualNodesPerNode()
    {
        return virtualNodesPerNode;
    }

    /** Id of the node owning {@code slot}: the first virtual node clockwise from the slot's point. */
    public int ownerOf(final int slot)
    {
        return nodeIdAt[successorIndex(RingPositions.ofSlot(checkSlot(slot)))];
    }

    /**
     * The next {@code count} distinct nodes clockwise after the slot's owner, nearest first: where
     * copies of the slot go, and who takes it over if the owner leaves. Never contains the owner.
     *
     * @param count 0..(nodes - 1).
     */
    public int[] replicaCandidates(final int slot, final int count)
    {
        checkSlot(slot);
        if (count < 0 || count > distinctNodeCount - 1)
        {
            throw new IllegalArgumentException("count must be in 0.." + (distinctNodeCount - 1) + ": " + count);
        }
        final int[] candidates = new int[count];
        final int start = successorIndex(RingPositions.ofSlot(slot));
        final int owner = nodeIdAt[start];
        int found = 0;
        for (int step = 1; found < count; step++)
        {
            final int nodeId = nodeIdAt[(start + step) % positions.length];
            if (nodeId != owner && !contains(candidates, found, nodeId))
            {
                candidates[found++] = nodeId;
            }
        }
        return candidates;
    }

    /** The slot table of this ring at {@code epoch}. */
    public SlotTable compile(final long epoch)
    {
        final int[] ownerBySlot = new int[SlotTable.SLOT_COUNT];
        for (int slot = 0; slot < ownerBySlot.length; slot++)
        {
            ownerBySlot[slot] = nodeIdAt[successorIndex(RingPositions.ofSlot(slot))];
        }
        return new SlotTable(epoch, nodes, ownerBySlot);
    }

    /** Index of the first virtual node at or after {@code position}, wrapping to 0 past the end. */
    private int successorIndex(final long position)
    {
        int low = 0;
        int high = positions.length; // answer in [low, high]; high = length means "wrap to 0"
        while (low < high)
        {
            final int mid = (low + high) >>> 1;
            if (positions[mid] < position)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }
        return low == positions.length ? 0 : low;
    }

    private static boolean contains(final int[] values, final int length, final int value)
    {
        for (int i = 0; i < length; i++)
        {
            if (values[i] == value)
            {
                return true;
            }
        }
        return false;
    }

    private static int checkSlot(final int slot)
    {
        if (slot < 0 || slot >= SlotTable.SLOT_COUNT)
        {
            throw new IllegalArgumentException("slot must be in 0.." + (SlotTable.SLOT_COUNT - 1) + ": " + slot);
        }
        return slot;
    }

    @Override
    public String toString()
    {
        return "HashRing{nodes=" + nodes.size() + ", virtualNodesPerNode=" + virtualNodesPerNode + '}';
    }
}
