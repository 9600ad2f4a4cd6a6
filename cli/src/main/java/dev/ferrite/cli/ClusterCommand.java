package dev.ferrite.cli;

import dev.ferrite.client.ClientConfig;
import dev.ferrite.client.FerriteClient;
import dev.ferrite.client.FerriteException;
import dev.ferrite.transport.routing.ClusterFile;
import dev.ferrite.transport.routing.ClusterSpec;
import dev.ferrite.transport.routing.NodeEndpoint;
import dev.ferrite.transport.routing.SlotTable;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ferrite cluster start|stop|status}: a local cluster of node processes on loopback. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = "Starts, stops and inspects a local cluster of node processes on loopback.",
    subcommands = {ClusterCommand.Start.class, ClusterCommand.Stop.class, ClusterCommand.Status.class})
public final class ClusterCommand implements Runnable
{
    @Option(names = "--dir", description = "Where the cluster keeps its files (default .ferrite/cluster).")
    Path directory;

    @Spec
    CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    LocalCluster cluster()
    {
        return new LocalCluster(new ClusterLayout(directory == null ? ClusterLayout.DEFAULT_DIRECTORY : directory));
    }

    @Command(name = "start", description = "Starts N nodes (ports base-port..base-port+N-1) and waits until each listens.")
    static final class Start implements Callable<Integer>
    {
        @ParentCommand
        ClusterCommand parent;

        @Spec
        CommandSpec spec;

        @Option(names = "--nodes", defaultValue = "3", description = "How many nodes (default ${DEFAULT-VALUE}).")
        int nodes;

        @Option(names = "--base-port", defaultValue = "" + LocalCluster.DEFAULT_BASE_PORT, description = "First node's port (default ${DEFAULT-VALUE}).")
        int basePort;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Extra node configuration, e.g. --set cache.capacityBytes=536870912 (keys of config/node.properties).")
        List<String> settings = new ArrayList<>();

        @Override
        public Integer call() throws Exception
        {
            final PrintWriter out = spec.commandLine().getOut();
            final LocalCluster cluster = parent.cluster();
            try
            {
                final List<NodeEndpoint> started = cluster.start(nodes, basePort, settings);
                out.println("started " + started.size() + " nodes in " + cluster.layout().directory() + ":");
                for (final NodeEndpoint node : started)
                {
                    out.println("  node " + node.nodeId() + "  " + node.endpoint() + "  pid " +
                        cluster.process(node.nodeId()).map(ProcessHandle::pid).orElse(-1L) + "  log " + cluster.layout().log(node.nodeId()));
                }
                out.println("cluster file: " + cluster.layout().clusterFile());
                return 0;
            }
            catch (final IllegalStateException ex)
            {
                spec.commandLine().getErr().println("ferrite cluster start: " + ex.getMessage());
                cluster.stop();
                return 1;
            }
        }
    }

    @Command(name = "stop", description = "Stops every node gracefully (SIGTERM), killing any that outstays 15 s.")
    static final class Stop implements Callable<Integer>
    {
        @ParentCommand
        ClusterCommand parent;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception
        {
            final List<String> report = parent.cluster().stop();
            report.forEach(spec.commandLine().getOut()::println);
            if (report.isEmpty())
            {
                spec.commandLine().getOut().println("no nodes in " + parent.cluster().layout().directory());
            }
            return 0;
        }
    }

    @Command(name = "status", description = "For each node: process, round trip and slots owned. Exit 1 when a node is down.")
    static final class Status implements Callable<Integer>
    {
        @ParentCommand
        ClusterCommand parent;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception
        {
            final PrintWriter out = spec.commandLine().getOut();
            final LocalCluster cluster = parent.cluster();
            final Path clusterFile = cluster.layout().clusterFile();
            if (!Files.isRegularFile(clusterFile))
            {
                out.println("no cluster in " + cluster.layout().directory());
                return 1;
            }
            final ClusterSpec clusterSpec = ClusterFile.read(clusterFile);
            final SlotTable table = clusterSpec.compile();
            final int[] slots = table.slotCountsByNode();
            int down = 0;
            try (FerriteClient client = FerriteClient.connect(new ClientConfig().clusterFile(clusterFile).requestTimeoutMs(500).connectTimeoutMs(500)))
            {
                for (final NodeEndpoint node : clusterSpec.nodes())
                {
                    final Optional<ProcessHandle> process = cluster.process(node.nodeId()).filter(ProcessHandle::isAlive);
                    String ping;
                    try
                    {
                        client.ping(node.endpoint()); // the first one also opens the session
                        ping = String.format(Locale.ROOT, "ping %.0f µs", client.ping(node.endpoint()) / 1e3);
                    }
                    catch (final FerriteException ex)
                    {
                        ping = "no answer";
                        down++;
                    }
                    out.printf(Locale.ROOT, "node %-3d %-22s %-12s %-14s %5d slots%n", node.nodeId(), node.endpoint(),
                        process.map(p -> "pid " + p.pid()).orElse("not running"), ping, slots[node.nodeId()]);
                }
            }
            catch (final FerriteException ex)
            {
                out.println("no node answers: " + ex.getMessage());
                return 1;
            }
            return down == 0 ? 0 : 1;
        }
    }
}
