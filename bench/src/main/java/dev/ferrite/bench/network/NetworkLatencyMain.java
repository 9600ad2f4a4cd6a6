package dev.ferrite.bench.network;

import dev.ferrite.bench.Args;
import dev.ferrite.bench.MachineInfo;
import dev.ferrite.transport.aeron.IdleStrategies;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * Get and set round-trip latency from a Ferrite client to a node over loopback UDP, beside a raw
 * Aeron ping-pong carrying the same number of bytes each way, in the same run.
 *
 * <p>Why one JVM with threads rather than one process per side: both stacks then share the JVM,
 * JIT and GC settings and the network path is the same (each side has its own media driver, so
 * traffic crosses the kernel's UDP loopback exactly as between processes). Why interleaved rounds:
 * this machine is shared, so load drifts; measuring raw, Ferrite, raw, Ferrite in short rounds and
 * merging the histograms exposes both stacks to the same drift instead of giving one the quiet
 * minute.
 *
 * <pre>
 * java -cp benchmarks.jar dev.ferrite.bench.network.NetworkLatencyMain [--seconds 15] [--warmup-seconds 3]
 *   [--rounds 5] [--idle backoff|busy-spin|yielding] [--key-bytes 16] [--value-bytes 100]
 *   [--stacks raw,ferrite[,raw-handoff]] [--out bench/reports/network-latency.md]
 * </pre>
 *
 * <p>{@code raw-handoff} adds a diagnostic stack: raw Aeron whose answers a poller thread takes and
 * hands to the waiting caller, as Ferrite's client does; it tells the cost of that thread hop apart
 * from the protocol and the node.
 */
public final class NetworkLatencyMain
{
    private NetworkLatencyMain()
    {
    }

    public static void main(final String[] arguments) throws Exception
    {
        final Args args = new Args(arguments, "seconds", "warmup-seconds", "rounds", "idle", "key-bytes", "value-bytes", "stacks", "out", "json-dir");
        final int seconds = args.getInt("seconds", 15);
        final int warmupSeconds = args.getInt("warmup-seconds", 3);
        final int rounds = args.getInt("rounds", 5);
        final String idle = args.get("idle", IdleStrategies.BACKOFF);
        final int keyBytes = args.getInt("key-bytes", 16);
        final int valueBytes = args.getInt("value-bytes", 100);
        final List<String> stacks = args.getList("stacks", "raw,ferrite");
        final Path out = Path.of(args.get("out", "bench/reports/network-latency.md"));
        final String jsonDirectory = args.get("json-dir", null);
        if (seconds < 1 || rounds < 1 || warmupSeconds < 0)
        {
            throw new IllegalArgumentException(
                "need seconds >= 1, rounds >= 1, warmup-seconds >= 0: " + seconds + ", " + rounds + ", " + warmupSeconds);
        }
        IdleStrategies.create(idle); // fails fast on an unknown name

        final FerriteMessageSizes sizes = FerriteMessageSizes.of(keyBytes, valueBytes);
        final int maxMessageBytes = Math.max(Math.max(sizes.getRequestBytes(), sizes.getResponseBytes()),
            Math.max(sizes.setRequestBytes(), sizes.setResponseBytes()));
        final List<String> runLines = new ArrayList<>();
        runLines.add(String.format(Locale.ROOT, "key %d B, value %d B; idle strategy %s (drivers, server loop, client wait)",
            keyBytes, valueBytes, idle));
        runLines.add(String.format(Locale.ROOT, "per exchange: %d s warm-up, then %d s measured in %d interleaved rounds",
            warmupSeconds, seconds, rounds));
        runLines.add("one JVM: each side has its own embedded media driver, run by its polling thread " +
            "(INVOKER: no driver threads; raw Aeron's pinger drives its own inline, Ferrite's waiting caller " +
            "runs the client's poller duty), traffic on 127.0.0.1 UDP");

        final List<Exchange> exchanges = new ArrayList<>();
        try (RawAeronPingPong raw = stacks.contains("raw") ? RawAeronPingPong.start(idle, maxMessageBytes) : null;
             RawAeronPingPong handOff = stacks.contains("raw-handoff") ?
                 RawAeronPingPong.startWithPollerHandOff(idle, maxMessageBytes) : null;
             FerriteLoopback ferrite = stacks.contains("ferrite") ? FerriteLoopback.start(idle, keyBytes, valueBytes) : null)
        {
            if (raw != null)
            {
                exchanges.add(new Exchange("get", Exchange.RAW_AERON, sizes.getRequestBytes(), sizes.getResponseBytes(),
                    raw.roundTrip(sizes.getRequestBytes(), sizes.getResponseBytes())));
            }
            if (handOff != null)
            {
                exchanges.add(new Exchange("get", Exchange.RAW_AERON_HAND_OFF, sizes.getRequestBytes(), sizes.getResponseBytes(),
                    handOff.roundTrip(sizes.getRequestBytes(), sizes.getResponseBytes())));
            }
            if (ferrite != null)
            {
                exchanges.add(new Exchange("get", Exchange.FERRITE, sizes.getRequestBytes(), sizes.getResponseBytes(), ferrite.get()));
            }
            if (raw != null)
            {
                exchanges.add(new Exchange("set", Exchange.RAW_AERON, sizes.setRequestBytes(), sizes.setResponseBytes(),
                    raw.roundTrip(sizes.setRequestBytes(), sizes.setResponseBytes())));
            }
            if (handOff != null)
            {
                exchanges.add(new Exchange("set", Exchange.RAW_AERON_HAND_OFF, sizes.setRequestBytes(), sizes.setResponseBytes(),
                    handOff.roundTrip(sizes.setRequestBytes(), sizes.setResponseBytes())));
            }
            if (ferrite != null)
            {
                exchanges.add(new Exchange("set", Exchange.FERRITE, sizes.setRequestBytes(), sizes.setResponseBytes(), ferrite.set()));
            }
            final List<NetworkLatencyReport.Result> results = measure(exchanges, TimeUnit.SECONDS.toNanos(warmupSeconds),
                TimeUnit.SECONDS.toNanos(seconds), rounds, runLines);
            final String report = NetworkLatencyReport.format(results, runLines, MachineInfo.describe());
            if (out.getParent() != null)
            {
                Files.createDirectories(out.getParent());
            }
            Files.writeString(out, report);
            if (jsonDirectory != null)
            {
                NetworkLatencyJson.write(results, TimeUnit.SECONDS.toNanos(seconds), Path.of(jsonDirectory));
            }
            System.out.println(report);
            System.out.println("[network-latency] wrote " + out);
        }
    }

    static List<NetworkLatencyReport.Result> measure(
        final List<Exchange> exchanges, final long warmupNs, final long measureNs, final int rounds, final List<String> runLines)
    {
        for (final Exchange exchange : exchanges)
        {
            LatencyRecorder.warmUp(exchange.roundTrip(), warmupNs);
        }
        final long gcCountBefore = gcCount();
        final List<Histogram> histograms = new ArrayList<>();
        exchanges.forEach(exchange -> histograms.add(LatencyRecorder.newHistogram()));
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < exchanges.size(); i++)
            {
                LatencyRecorder.record(exchanges.get(i).roundTrip(), measureNs / rounds, histograms.get(i));
            }
        }
        runLines.add("garbage collections while measuring: " + (gcCount() - gcCountBefore));
        // With more runnable threads than cores, round trips measure the scheduler's time slices more
        // than either stack: the load average says how far to trust the figures.
        final double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        final int cores = Runtime.getRuntime().availableProcessors();
        runLines.add(String.format(Locale.ROOT, "load average at the end: %.2f on %d cores", load, cores));
        if (load > cores)
        {
            runLines.add("**more runnable threads than cores: these figures measure the scheduler more than either stack, " +
                "and ratios vary from run to run; judge the target on a quiet machine**");
        }
        final List<NetworkLatencyReport.Result> results = new ArrayList<>();
        for (int i = 0; i < exchanges.size(); i++)
        {
            results.add(new NetworkLatencyReport.Result(exchanges.get(i), LatencySummary.of(histograms.get(i))));
        }
        return results;
    }

    private static long gcCount()
    {
        long count = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            count += Math.max(0, gc.getCollectionCount());
        }
        return count;
    }
}
