package dev.ferrite.loadgen;

import dev.ferrite.loadgen.keys.KeyDistribution;
import dev.ferrite.loadgen.keys.KeyFormat;
import dev.ferrite.loadgen.report.PercentileChart;
import dev.ferrite.loadgen.report.RunSummary;
import dev.ferrite.loadgen.run.ConsoleProgress;
import dev.ferrite.loadgen.run.Durations;
import dev.ferrite.loadgen.run.LoadRun;
import dev.ferrite.loadgen.run.Loader;
import dev.ferrite.loadgen.run.ProgressListener;
import dev.ferrite.loadgen.run.RunConfig;
import dev.ferrite.loadgen.run.RunResult;
import dev.ferrite.loadgen.target.LoadTarget;
import dev.ferrite.loadgen.target.Targets;
import dev.ferrite.loadgen.workload.Workload;
import dev.ferrite.loadgen.workload.WorkloadPresets;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ferrite bench}: loads records into a target, runs a workload against it and prints the
 * throughput and latency distribution; with {@code --out}, also writes the JSON summary, the
 * HdrHistogram log and the percentile chart there.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Drives a cache with a YCSB-style workload and reports throughput and latency.",
        "Closed loop by default (each requester keeps --pipeline requests in flight); --rate makes it an open loop,",
        "with latency measured from when each request was due (corrected for coordinated omission)."},
    footer = {"", "Examples:",
        "  ferrite bench --target ferrite --nodes 127.0.0.1:7101 --workload B --duration 30",
        "  ferrite bench --target redis --port 6379 --workload A --requesters 4 --pipeline 8 --out results/redis",
        "  ferrite bench --target engine --rate 50000 --workload C"})
public final class LoadGeneratorCommand implements Callable<Integer>
{
    @Option(names = "--target", defaultValue = "engine", description = "What to drive: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).",
        completionCandidates = Targets.Names.class)
    String target;

    @Option(names = "--nodes", defaultValue = "127.0.0.1:7101", description = "Ferrite seed nodes, host:port[,host:port...] (default ${DEFAULT-VALUE}).")
    String nodes;

    @Option(names = "--routing", defaultValue = "direct", description = "Ferrite routing: direct, proxy or handoff (default ${DEFAULT-VALUE}).")
    String routing;

    @Option(names = "--secret", description = "Ferrite shared secret, when the nodes have one.")
    String secret;

    @Option(names = "--timeout-ms", defaultValue = "5000", description = "Ferrite connect and request timeout (default ${DEFAULT-VALUE}).")
    long timeoutMs;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Redis host (default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "6379", description = "Redis port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--workload", defaultValue = "B", description = "YCSB core workload A, B, C, D or F (default ${DEFAULT-VALUE}); --read/--update override its mix.")
    String workloadPreset;

    @Option(names = "--read", description = "Read percentage (the rest are updates); overrides the preset's mix.")
    Integer readPercent;

    @Option(names = "--distribution", description = "Key distribution: uniform, zipfian or latest (default: the preset's).")
    String distribution;

    @Option(names = "--records", defaultValue = "100000", description = "Records loaded first and read from (default ${DEFAULT-VALUE}).")
    long records;

    @Option(names = "--key-bytes", defaultValue = "16", description = "Key length (default ${DEFAULT-VALUE}).")
    int keyBytes;

    @Option(names = "--value-bytes", defaultValue = "100", description = "Value length (default ${DEFAULT-VALUE}).")
    int valueBytes;

    @Option(names = {"-c", "--requesters"}, defaultValue = "4", description = "Concurrent requesters, one connection each (default ${DEFAULT-VALUE}).")
    int requesters;

    @Option(names = {"-P", "--pipeline"}, defaultValue = "1", description = "Requests each requester keeps in flight (default ${DEFAULT-VALUE}).")
    int pipeline;

    @Option(names = "--rate", defaultValue = "0", description = "Open loop at this many ops/s in total; 0 = closed loop (default).")
    long rate;

    @Option(names = "--warmup", defaultValue = "5", description = "Seconds of warm-up, not measured (default ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--duration", defaultValue = "20", description = "Seconds measured (default ${DEFAULT-VALUE}).")
    int durationSeconds;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for key and operation choices (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-load", description = "Skip loading the records (they are already there).")
    boolean noLoad;

    @Option(names = "--capacity-mb", defaultValue = "512", description = "Embedded engine capacity (default ${DEFAULT-VALUE}).")
    long capacityMb;

    @Option(names = "--out", description = "Directory for summary.json, latency.hlog and latency.png.")
    Path out;

    @Option(names = "--quiet", description = "No progress line.")
    boolean quiet;

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new LoadGeneratorCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception
    {
        final Workload workload = workload();
        final KeyFormat keys = new KeyFormat(keyBytes, valueBytes);
        final RunConfig config = new RunConfig(workload, keys, records, requesters, pipeline, warmupSeconds, durationSeconds, rate, seed);
        final PrintStream console = System.out;
        try (LoadTarget loadTarget = Targets.open(target, this::targetOption))
        {
            console.printf("target %s; %s; %s%n", loadTarget.name(), workload.describe(), config.describeMode());
            if (!noLoad)
            {
                final long startNs = System.nanoTime();
                final long loaded = Loader.load(loadTarget, keys, records, requesters, Math.max(pipeline, 16));
                console.printf("loaded %,d records in %s%n", loaded, Durations.format(System.nanoTime() - startNs));
            }
            if (out != null)
            {
                Files.createDirectories(out);
            }
            final RunResult result;
            try (PrintStream hlog = out == null ? null : new PrintStream(Files.newOutputStream(out.resolve("latency.hlog")), false, StandardCharsets.UTF_8))
            {
                result = LoadRun.run(loadTarget, config, quiet ? ProgressListener.NONE : new ConsoleProgress(console), hlog);
            }
            RunSummary.printTable(result, console);
            if (out != null)
            {
                RunSummary.writeJson(result, out.resolve("summary.json"));
                final Map<String, Histogram> series = new LinkedHashMap<>();
                result.latencies().forEach((operation, histogram) -> series.put(operation.name().toLowerCase(java.util.Locale.ROOT), histogram));
                PercentileChart.write(out.resolve("latency.png"), result.targetName() + ", " + workload.name(), series);
                console.println("wrote " + out.resolve("summary.json") + ", latency.hlog, latency.png");
            }
            return result.errors() == 0 ? 0 : 1;
        }
    }

    private Workload workload()
    {
        Workload workload = WorkloadPresets.preset(workloadPreset);
        if (readPercent != null)
        {
            workload = new Workload("custom-" + readPercent + "r", readPercent, 100 - readPercent, 0, 0, workload.distribution());
        }
        if (distribution != null)
        {
            workload = new Workload(workload.name(), workload.readPercent(), workload.updatePercent(), workload.insertPercent(),
                workload.readModifyWritePercent(), KeyDistribution.parse(distribution));
        }
        return workload;
    }

    private String targetOption(final String name)
    {
        switch (name)
        {
            case "nodes": return nodes;
            case "routing": return routing;
            case "secret": return secret;
            case "timeoutMs": return Long.toString(timeoutMs);
            case "host": return host;
            case "port": return Integer.toString(port);
            case "requesters": return Integer.toString(requesters);
            case "capacityBytes": return Long.toString(capacityMb << 20);
            default: throw new IllegalArgumentException("no option " + name);
        }
    }
}
