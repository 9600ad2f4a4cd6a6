package dev.ferrite.client;

import dev.ferrite.transport.routing.NodeEndpoint;
import dev.ferrite.transport.routing.SlotTable;

import java.util.ArrayList;
import java.util.List;

/**
 * Three nodes in this JVM for the client's tests: real {@code FerriteNode}s ({@link RealCluster}) or
 * test-only responders ({@link FakeCluster}, which can also stay silent or answer late). Node i has
 * node id i; {@link #splitTable(long, int)} gives node i the i-th third of the slots.
 */
interface TestCluster extends AutoCloseable
{
    int size();

    NodeEndpoint endpoint(int node);

    void applyTopology(int node, SlotTable table);

    /** Stops one node (its endpoint stops answering). */
    void stop(int node);

    /** MOVED answers the node has sent. */
    long movedAnswers(int node);

    /** Keyed requests (get, set, delete, touch, increment, multi-get) the node has handled, its own or forwarded to it. */
    long keyedRequests(int node);

    /** Requests for slots the node does not own that it served on a client's behalf (proxy). */
    long proxied(int node);

    @Override
    void close();

    default void applyTopology(final SlotTable table)
    {
        for (int i = 0; i < size(); i++)
        {
            applyTopology(i, table);
        }
    }

    default String hostPort(final int node)
    {
        return endpoint(node).endpoint();
    }

    default String[] seeds()
    {
        final String[] seeds = new String[size()];
        for (int i = 0; i < size(); i++)
        {
            seeds[i] = hostPort(i);
        }
        return seeds;
    }

    default long movedAnswers()
    {
        long total = 0;
        for (int i = 0; i < size(); i++)
        {
            total += movedAnswers(i);
        }
        return total;
    }

    /** Slots split in equal contiguous ranges, rotated by {@code shift} nodes (a topology change). */
    default SlotTable splitTable(final long epoch, final int shift)
    {
        final List<NodeEndpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < size(); i++)
        {
            endpoints.add(endpoint(i));
        }
        final int[] owners = new int[SlotTable.SLOT_COUNT];
        for (int slot = 0; slot < owners.length; slot++)
        {
            owners[slot] = (slot * size() / SlotTable.SLOT_COUNT + shift) % size();
        }
        return new SlotTable(epoch, endpoints, owners);
    }

    /** Every slot owned by one node. */
    default SlotTable allOwnedBy(final int owner, final long epoch)
    {
        final SlotTable split = splitTable(epoch, 0);
        final int[] owners = new int[SlotTable.SLOT_COUNT];
        java.util.Arrays.fill(owners, owner);
        return new SlotTable(epoch, split.nodes(), owners);
    }
}
