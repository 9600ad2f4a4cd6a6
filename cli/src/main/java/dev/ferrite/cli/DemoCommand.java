package dev.ferrite.cli;

import dev.ferrite.client.ClientConfig;
import dev.ferrite.client.FerriteClient;
import dev.ferrite.client.GetResult;
import dev.ferrite.client.RoutingMode;
import dev.ferrite.loadgen.keys.KeyFormat;
import dev.ferrite.loadgen.report.PercentileChart;
import dev.ferrite.loadgen.report.RunSummary;
import dev.ferrite.loadgen.report.TextLatencyChart;
import dev.ferrite.loadgen.run.ConsoleProgress;
import dev.ferrite.loadgen.run.Durations;
import dev.ferrite.loadgen.run.LoadRun;
import dev.ferrite.loadgen.run.Loader;
import dev.ferrite.loadgen.run.RunConfig;
import dev.ferrite.loadgen.run.RunResult;
import dev.ferrite.loadgen.workload.WorkloadPresets;
import dev.ferrite.transport.routing.NodeEndpoint;
import dev.ferrite.transport.routing.SlotTable;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ferrite demo}: the tour a new user takes first. Starts a local cluster, loads it, runs a
 * mixed workload with a live latency line, shows where keys live and a MOVED redirect being
 * followed, prints the latency summary and a chart, and stops the cluster whatever happens.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Starts a local cluster, loads data, runs a mixed workload, shows routing and MOVED, then stops it.")
public final class DemoCommand implements Callable<Integer>
{
    @Option(names = "--nodes", defaultValue = "3", description = "Cluster size (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--records", defaultValue = "20000", description = "Records loaded (default ${DEFAULT-VALUE}).")
    long records;

    @Option(names = "--seconds", defaultValue = "10", description = "Seconds of mixed workload (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--requesters", defaultValue = "2", description = "Concurrent requesters (default ${DEFAULT-VALUE}).")
    int requesters;

    @Option(names = "--pipeline", defaultValue = "8", description = "Requests in flight per requester (default ${DEFAULT-VALUE}).")
    int pipeline;

    @Option(names = "--dir", defaultValue = ".ferrite/demo", description = "Cluster files, logs and the chart (default ${DEFAULT-VALUE}).")
    Path directory;

    @Option(names = "--base-port", defaultValue = "7201", description = "First node's port (default ${DEFAULT-VALUE}).")
    int basePort;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception
    {
        final LocalCluster cluster = new LocalCluster(new ClusterLayout(directory));
        step("1. Starting a " + nodes + "-node cluster on loopback (" + directory + ")");
        try
        {
            final List<NodeEndpoint> endpoints = cluster.start(nodes, basePort, List.of());
            for (final NodeEndpoint node : endpoints)
            {
                out.println("   node " + node.nodeId() + "  " + node.endpoint() + "  log " + cluster.layout().log(node.nodeId()));
            }
            final List<String> seeds = new ArrayList<>();
            endpoints.forEach(node -> seeds.add(node.endpoint()));
            final KeyFormat keys = new KeyFormat(16, 100);

            final RunResult result;
            try (FerriteClientTarget target = new FerriteClientTarget(seeds, RoutingMode.DIRECT, null, 5000))
            {
                step("2. Loading " + String.format(Locale.ROOT, "%,d", records) + " records (16-byte keys, 100-byte values)");
                final long startNs = System.nanoTime();
                Loader.load(target, keys, records, requesters, 64);
                out.println("   done in " + Durations.format(System.nanoTime() - startNs));

                step("3. Mixed workload: YCSB B (95% get, 5% set, Zipfian) for " + seconds + " s, " +
                    requesters + " requesters x " + pipeline + " in flight");
                final RunConfig config = new RunConfig(WorkloadPresets.preset("B"), keys, records, requesters, pipeline, 2, seconds, 0, 42);
                result = LoadRun.run(target, config, new ConsoleProgress(out), null);
            }

            try (FerriteClient client = FerriteClient.connect(new ClientConfig().clusterFile(cluster.layout().clusterFile())))
            {
                step("4. Where keys live (slot = CRC16 of the key mod 16384; the ring gives each slot an owner)");
                showWhereKeysLive(client, keys);
                step("5. Shard handoff: asking a node that does not own the key");
                showMoved(client, endpoints, keys);
            }

            step("6. Latency summary");
            RunSummary.printTable(result, out);
            out.println("   get latency (log scale):");
            TextLatencyChart.print(result.latencies().getOrDefault(dev.ferrite.loadgen.workload.Operation.READ, result.allOperations()), out);
            final Map<String, Histogram> series = new LinkedHashMap<>();
            result.latencies().forEach((operation, histogram) -> series.put(operation.name().toLowerCase(Locale.ROOT), histogram));
            final Path chart = directory.resolve("latency.png");
            PercentileChart.write(chart, "ferrite demo: " + nodes + " nodes, YCSB B", series);
            out.println("   chart: " + chart);
            return result.errors() == 0 ? 0 : 1;
        }
        finally
        {
            step("7. Stopping the cluster");
            cluster.stop().forEach(line -> out.println("   " + line));
        }
    }

    private void showWhereKeysLive(final FerriteClient client, final KeyFormat keys)
    {
        final SlotTable table = client.topology();
        for (final long index : new long[] {0, 1, 2, 3, 4})
        {
            final byte[] key = keys.key(index);
            final int slot = SlotTable.slotOf(new UnsafeBuffer(key), 0, key.length);
            out.printf(Locale.ROOT, "   %s  ->  slot %5d  ->  node %d%n", new String(key, StandardCharsets.US_ASCII), slot, table.ownerOf(slot));
        }
        final int[] slots = table.slotCountsByNode();
        for (final NodeEndpoint node : table.nodes())
        {
            final Long entries = client.stats(node.endpoint()).counters().get("engine.entries");
            out.printf(Locale.ROOT, "   node %d owns %5d slots (%4.1f%%) and holds %,d entries%n", node.nodeId(), slots[node.nodeId()],
                100.0 * slots[node.nodeId()] / SlotTable.SLOT_COUNT, entries == null ? -1 : entries);
        }
    }

    private void showMoved(final FerriteClient client, final List<NodeEndpoint> endpoints, final KeyFormat keys)
    {
        final SlotTable table = client.topology();
        final NodeEndpoint asked = endpoints.get(0);
        long index = 0;
        byte[] key = keys.key(index);
        while (table.ownerOfKey(new UnsafeBuffer(key), 0, key.length) == asked.nodeId())
        {
            key = keys.key(++index);
        }
        final int owner = table.ownerOfKey(new UnsafeBuffer(key), 0, key.length);
        final long movedBefore = client.stats(asked.endpoint()).counters().getOrDefault("moved.sent", 0L);
        // A handoff client starts with no slot table: it asks its seed, and learns owners from MOVED answers.
        try (FerriteClient handoff = FerriteClient.connect(new ClientConfig().seeds(asked.endpoint()).routingMode(RoutingMode.HANDOFF)))
        {
            final GetResult result = handoff.get(key);
            final long movedAfter = client.stats(asked.endpoint()).counters().getOrDefault("moved.sent", 0L);
            out.printf(Locale.ROOT, "   GET %s sent to node %d; its slot belongs to node %d%n",
                new String(key, StandardCharsets.US_ASCII), asked.nodeId(), owner);
            out.printf(Locale.ROOT, "   node %d answered MOVED (its moved.sent counter went %d -> %d); the client retried at node %d%n",
                asked.nodeId(), movedBefore, movedAfter, owner);
            out.printf(Locale.ROOT, "   and got %s (version %d)%n", result.found() ? result.value().length + " bytes" : "nothing", result.version());
        }
    }

    private void step(final String title)
    {
        out.println();
        out.println("== " + title);
    }
}
