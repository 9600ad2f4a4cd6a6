package dev.ferrite.client;

import dev.ferrite.transport.routing.NodeEndpoint;
import dev.ferrite.transport.routing.SlotTable;

/**
 * {@link RoutingMode#DIRECT}: the slot table, fetched from a seed, sends each key to its owner.
 *
 * <p>The table and a session per slot live in one immutable {@link Routes} snapshot behind a volatile
 * field: {@link #route(int)} is one volatile read and two array loads. A MOVED answer sends the retry to
 * the owner it names at once and, when it carries a newer epoch than ours, fetches the whole table from
 * that owner (as does a welcome announcing a newer epoch). Refreshes are serialized on this object and
 * skipped when a concurrent one already installed that epoch.
 */
final class DirectRouter implements Router
{
    /** Fetches a node's slot table (a TopologyRequest round trip). */
    interface TopologySource
    {
        SlotTable fetch(NodeSession node, long deadlineNs);
    }

    private record Routes(SlotTable table, NodeSession[] sessionBySlot)
    {
    }

    private final SeedList seeds;
    private final NodeSessions sessions;
    private final TopologySource topologySource;
    private volatile Routes routes;

    DirectRouter(final SeedList seeds, final NodeSessions sessions, final TopologySource topologySource)
    {
        this.seeds = seeds;
        this.sessions = sessions;
        this.topologySource = topologySource;
    }

    /** Fetches the table from the first seed that answers. */
    @Override
    public void start(final long deadlineNs)
    {
        FerriteException last = null;
        for (int i = 0; i < seeds.size(); i++)
        {
            try
            {
                install(topologySource.fetch(seeds.get(i), deadlineNs));
                return;
            }
            catch (final FerriteException ex)
            {
                last = ex;
            }
        }
        throw last;
    }

    @Override
    public NodeSession route(final int slot)
    {
        final Routes current = routes;
        return slot >= 0 ? current.sessionBySlot[slot] : seeds.current();
    }

    @Override
    public boolean proxyFlag()
    {
        return false;
    }

    @Override
    public void onMoved(final PendingRequest request, final int slot, final int ownerNodeId, final long epoch, final String ownerHostPort)
    {
        final NodeSession owner = sessions.forHostPort(ownerHostPort);
        request.target = owner;
        if (epoch > routes.table.epoch())
        {
            refresh(owner, epoch, request.deadlineNs());
        }
    }

    @Override
    public void onUnreachable(final NodeSession session)
    {
        // Only a seed has a stand-in (for node-level requests); a slot's owner has none.
        seeds.failOver(session);
    }

    @Override
    public boolean onSessionOpened(final NodeSession session, final long deadlineNs)
    {
        final Routes current = routes;
        if (current != null && session.welcomeEpoch() > current.table.epoch())
        {
            refresh(session, session.welcomeEpoch(), deadlineNs);
            return routes != current;
        }
        return false;
    }

    /** The table in use (tests, and the topology query). */
    SlotTable table()
    {
        return routes.table;
    }

    private synchronized void refresh(final NodeSession from, final long epoch, final long deadlineNs)
    {
        if (routes.table.epoch() >= epoch)
        {
            return; // another thread got there first
        }
        try
        {
            install(topologySource.fetch(from, deadlineNs));
        }
        catch (final FerriteException ex)
        {
            // The retry still goes to the owner MOVED named; the next MOVED tries again.
        }
    }

    /** Installs the table if it is newer than ours. */
    synchronized void install(final SlotTable table)
    {
        final Routes current = routes;
        if (current != null && current.table.epoch() >= table.epoch())
        {
            return;
        }
        final NodeSession[] byNode = new NodeSession[maxNodeId(table) + 1];
        for (final NodeEndpoint node : table.nodes())
        {
            byNode[node.nodeId()] = sessions.forHostPort(node.endpoint());
        }
        final NodeSession[] bySlot = new NodeSession[SlotTable.SLOT_COUNT];
        for (int slot = 0; slot < SlotTable.SLOT_COUNT; slot++)
        {
            bySlot[slot] = byNode[table.ownerOf(slot)];
        }
        routes = new Routes(table, bySlot);
    }

    private static int maxNodeId(final SlotTable table)
    {
        int max = 0;
        for (final NodeEndpoint node : table.nodes())
        {
            max = Math.max(max, node.nodeId());
        }
        return max;
    }
}
