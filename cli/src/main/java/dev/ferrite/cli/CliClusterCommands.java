package dev.ferrite.cli;

import dev.ferrite.client.FerriteClient;
import dev.ferrite.client.FerriteException;
import dev.ferrite.client.NodeStats;
import dev.ferrite.transport.routing.NodeEndpoint;
import dev.ferrite.transport.routing.SlotTable;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The node- and cluster-level {@code ferrite cli} commands. */
final class CliClusterCommands
{
    private CliClusterCommands()
    {
    }

    @Command(name = "topology", description = "Prints the slot table: epoch, nodes, and which slot ranges each owns.")
    static final class Topology implements Callable<Integer>
    {
        @ParentCommand
        CliCommand cli;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            return cli.call(spec, (client, out) ->
            {
                print(client.topology(), out);
                return ExitCodes.OK;
            });
        }

        static void print(final SlotTable table, final PrintWriter out)
        {
            out.println("epoch " + table.epoch() + ", " + table.nodes().size() + " nodes, " + SlotTable.SLOT_COUNT + " slots");
            final int[] counts = table.slotCountsByNode();
            for (final NodeEndpoint node : table.nodes())
            {
                out.printf(Locale.ROOT, "  node %-3d %-22s %5d slots (%4.1f%%)  %s%n", node.nodeId(), node.endpoint(), counts[node.nodeId()],
                    100.0 * counts[node.nodeId()] / SlotTable.SLOT_COUNT, ranges(table, node.nodeId()));
            }
        }

        /** The first few slot ranges a node owns, e.g. {@code 0-120, 988-1002, ... (84 ranges)}. */
        private static String ranges(final SlotTable table, final int nodeId)
        {
            final StringBuilder text = new StringBuilder();
            int shown = 0;
            int total = 0;
            for (int slot = 0; slot < SlotTable.SLOT_COUNT; slot++)
            {
                if (table.ownerOf(slot) != nodeId || (slot > 0 && table.ownerOf(slot - 1) == nodeId))
                {
                    continue;
                }
                int last = slot;
                while (last + 1 < SlotTable.SLOT_COUNT && table.ownerOf(last + 1) == nodeId)
                {
                    last++;
                }
                total++;
                if (shown++ < 3)
                {
                    text.append(text.length() == 0 ? "" : ", ").append(slot).append(last == slot ? "" : "-" + last);
                }
            }
            return total > 3 ? text + ", ... (" + total + " ranges)" : text.toString();
        }
    }

    @Command(name = "info", description = "Prints every node's counters, and their sum over the cluster.")
    static final class Info implements Callable<Integer>
    {
        @ParentCommand
        CliCommand cli;

        @Spec
        CommandSpec spec;

        @Option(names = "--node", description = "Only this node (host:port).")
        String node;

        @Override
        public Integer call()
        {
            return cli.call(spec, (client, out) ->
            {
                if (node != null)
                {
                    print("node " + node, client.stats(node).counters(), out);
                    return ExitCodes.OK;
                }
                final Map<String, Long> sum = new LinkedHashMap<>();
                int answered = 0;
                int unreachable = 0;
                for (final NodeEndpoint endpoint : client.topology().nodes())
                {
                    try
                    {
                        final NodeStats stats = client.stats(endpoint.endpoint());
                        print("node " + stats.nodeId() + " (" + endpoint.endpoint() + ")", stats.counters(), out);
                        stats.counters().forEach((name, value) -> sum.merge(name, value, Long::sum));
                        answered++;
                    }
                    catch (final FerriteException ex)
                    {
                        out.println("# node " + endpoint.nodeId() + " (" + endpoint.endpoint() + "): " + ex.getMessage());
                        unreachable++;
                    }
                }
                print("cluster (sum of " + answered + " nodes)", sum, out);
                return unreachable == 0 ? ExitCodes.OK : ExitCodes.UNREACHABLE;
            });
        }

        private static void print(final String title, final Map<String, Long> counters, final PrintWriter out)
        {
            out.println("# " + title);
            counters.forEach((name, value) ->
            {
                if (value != 0 || !name.startsWith("errors."))
                {
                    out.printf(Locale.ROOT, "%-28s %,d%n", name, value);
                }
            });
            out.println();
        }
    }

    @Command(name = "ping", description = "Round trip to each node, in microseconds.")
    static final class Ping implements Callable<Integer>
    {
        @ParentCommand
        CliCommand cli;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            return cli.call(spec, (client, out) ->
            {
                int failed = 0;
                for (final NodeEndpoint endpoint : client.topology().nodes())
                {
                    failed += ping(client, endpoint, out) ? 0 : 1;
                }
                return failed == 0 ? ExitCodes.OK : ExitCodes.UNREACHABLE;
            });
        }

        private static boolean ping(final FerriteClient client, final NodeEndpoint endpoint, final PrintWriter out)
        {
            try
            {
                client.ping(endpoint.endpoint()); // the first one also opens the session
                final long nanos = client.ping(endpoint.endpoint());
                out.printf(Locale.ROOT, "node %d (%s): PONG in %.1f µs%n", endpoint.nodeId(), endpoint.endpoint(), nanos / 1e3);
                return true;
            }
            catch (final FerriteException ex)
            {
                out.printf(Locale.ROOT, "node %d (%s): no answer (%s)%n", endpoint.nodeId(), endpoint.endpoint(), ex.getMessage());
                return false;
            }
        }
    }
}
