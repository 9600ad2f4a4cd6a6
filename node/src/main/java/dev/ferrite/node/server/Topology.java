package dev.ferrite.node.server;

import dev.ferrite.transport.routing.SlotTable;

import java.util.Objects;

/**
 * The node's current slot table. Written rarely by any thread ({@link #apply}), read on every
 * request by the server agent: readers take one volatile read and see a whole table of one epoch.
 */
public final class Topology
{
    private volatile TopologyView view;

    public Topology(final SlotTable initial)
    {
        this.view = new TopologyView(Objects.requireNonNull(initial, "initial"));
    }

    /**
     * Replaces the table when the new one has a higher epoch.
     *
     * @return true when the table was replaced.
     */
    public synchronized boolean apply(final SlotTable table)
    {
        Objects.requireNonNull(table, "table");
        if (table.epoch() <= view.epoch())
        {
            return false;
        }
        view = new TopologyView(table);
        return true;
    }

    public TopologyView view()
    {
        return view;
    }
}
