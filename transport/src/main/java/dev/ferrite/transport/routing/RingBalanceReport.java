package dev.ferrite.transport.routing;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints the markdown table of docs/routing.md: slot balance (largest node share / mean) and the
 * fraction of slots that move when a node joins or leaves, for several cluster sizes and virtual
 * node counts. Deterministic (ring positions are fixed functions of node ids), so rerunning it
 * reproduces the table exactly.
 *
 * <p>Movement is averaged over {@link #MOVE_TRIALS} changes (different joining ids, different
 * leaving nodes), because one change moves exactly the share of the node concerned and would
 * mostly show balance again.
 *
 * <pre>
 * mvn -q -B -o -pl transport -am compile
 * java -cp transport/target/classes:engine/target/classes:$HOME/.m2/repository/org/agrona/agrona/2.6.0/agrona-2.6.0.jar \
 *   dev.ferrite.transport.routing.RingBalanceReport
 * </pre>
 */
public final class RingBalanceReport
{
    static final int[] NODE_COUNTS = { 3, 5, 8, 16, 32, 64 };
    static final int[] VIRTUAL_NODE_COUNTS = { 16, 64, 256, 1024 };
    static final int MOVE_TRIALS = 4;

    private RingBalanceReport()
    {
    }

    /** One row: a cluster of {@code nodeCount} nodes at {@code virtualNodes} per node. */
    record Row(int nodeCount, int virtualNodes, double balance, double movedOnAdd, double movedOnRemove)
    {
    }

    public static void main(final String[] args)
    {
        final long startNs = System.nanoTime();
        final List<Row> rows = new ArrayList<>();
        for (final int nodeCount : NODE_COUNTS)
        {
            for (final int virtualNodes : VIRTUAL_NODE_COUNTS)
            {
                rows.add(measure(nodeCount, virtualNodes));
            }
        }
        print(rows, System.out);
        System.out.printf(Locale.ROOT, "%n(measured in %d ms)%n", (System.nanoTime() - startNs) / 1_000_000);
    }

    static Row measure(final int nodeCount, final int virtualNodes)
    {
        final List<NodeEndpoint> nodes = RingStatistics.loopbackNodes(nodeCount);
        final SlotTable table = HashRing.of(nodes, virtualNodes).compile(1);

        double movedOnAdd = 0;
        double movedOnRemove = 0;
        for (int trial = 0; trial < MOVE_TRIALS; trial++)
        {
            final List<NodeEndpoint> grown = new ArrayList<>(nodes);
            final int newId = nodeCount + 1 + trial;
            grown.add(new NodeEndpoint(newId, "127.0.0.1", 7100 + newId));
            movedOnAdd += RingStatistics.movedFraction(table, HashRing.of(grown, virtualNodes).compile(2));

            final List<NodeEndpoint> shrunk = new ArrayList<>(nodes);
            shrunk.remove(trial * nodeCount / MOVE_TRIALS); // spread the leavers over the id range
            movedOnRemove += RingStatistics.movedFraction(table, HashRing.of(shrunk, virtualNodes).compile(2));
        }
        return new Row(nodeCount, virtualNodes, RingStatistics.balance(table), movedOnAdd / MOVE_TRIALS, movedOnRemove / MOVE_TRIALS);
    }

    static void print(final List<Row> rows, final PrintStream out)
    {
        out.println("| nodes N | vnodes/node | balance (max/mean) | moved on add | ideal 1/(N+1) | moved on remove | ideal 1/N |");
        out.println("|--:|--:|--:|--:|--:|--:|--:|");
        for (final Row row : rows)
        {
            out.printf(Locale.ROOT, "| %d | %d | %.3f | %.4f | %.4f | %.4f | %.4f |%n",
                row.nodeCount(), row.virtualNodes(), row.balance(),
                row.movedOnAdd(), 1.0 / (row.nodeCount() + 1),
                row.movedOnRemove(), 1.0 / row.nodeCount());
        }
    }
}
