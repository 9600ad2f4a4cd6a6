package dev.ferrite.loadgen.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * Writes the side-by-side network report from one run's directory: each system's
 * {@code <name>/summary.json} and {@code latency.hlog} (the load generator's output, or the raw Aeron
 * ping-pong's in the same shape), plus {@code redis-benchmark.csv} and {@code machine.txt}.
 *
 * <p>Ratios are Ferrite's figure over the other system's from the same run, and the issue's
 * targets are checked against them: get p50 ≤ 1.5× the raw Aeron floor, p99.9 ≤ 250 µs at half of
 * the node's closed-loop maximum, and throughput per node ≥ Redis's at the same concurrency. Where
 * Redis also ran open-loop at Ferrite's half-load rate, its p99.9 is shown beside Ferrite's: on a
 * shared machine the tail at a given rate says as much about the machine as about the system.
 *
 * <p>Usage: {@code SideBySideReport <run directory> <report.md> [chart.png]}.
 */
public final class SideBySideReport
{
    static final String FLOOR = "aeron-floor";
    /** Ferrite with one request in flight, measured beside the floor (same process, interleaved). */
    static final String FERRITE_UNLOADED = "ferrite-1-unloaded";
    static final String FERRITE_ONE = "ferrite-1";
    static final String FERRITE_ONE_HALF_LOAD = "ferrite-1-half-load";
    static final String FERRITE_THREE = "ferrite-3";
    static final String REDIS = "redis";
    /** Redis in an open loop at Ferrite's half-load rate: the same offered load, so the tails compare. */
    static final String REDIS_HALF_LOAD = "redis-half-load";
    private static final List<String> ORDER =
        List.of(FLOOR, FERRITE_UNLOADED, FERRITE_ONE, FERRITE_ONE_HALF_LOAD, FERRITE_THREE, REDIS, REDIS_HALF_LOAD);

    private SideBySideReport()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        if (args.length < 2)
        {
            System.err.println("usage: SideBySideReport <run directory> <report.md> [chart.png]");
            System.exit(2);
        }
        final Path run = Path.of(args[0]);
        final Map<String, JsonNode> systems = summaries(run);
        Files.writeString(Path.of(args[1]), markdown(run, systems), StandardCharsets.UTF_8);
        if (args.length > 2)
        {
            // Drawn only from what the systems logged; nothing to draw leaves no chart.
            final Map<String, Histogram> reads = new LinkedHashMap<>();
            for (final String name : systems.keySet())
            {
                final Histogram histogram = readLatencies(run.resolve(name).resolve("latency.hlog"));
                if (histogram != null && histogram.getTotalCount() > 0)
                {
                    reads.put(name, histogram);
                }
            }
            if (!reads.isEmpty())
            {
                PercentileChart.write(Path.of(args[2]), "get latency by percentile (same run)", reads);
            }
        }
    }

    static Map<String, JsonNode> summaries(final Path run) throws IOException
    {
        final ObjectMapper json = new ObjectMapper();
        final Map<String, JsonNode> systems = new LinkedHashMap<>();
        for (final String name : ORDER)
        {
            final Path summary = run.resolve(name).resolve("summary.json");
            if (Files.isRegularFile(summary))
            {
                systems.put(name, json.readTree(summary.toFile()));
            }
        }
        return systems;
    }

    static String markdown(final Path run, final Map<String, JsonNode> systems) throws IOException
    {
        final StringBuilder md = new StringBuilder();
        md.append("# Ferrite over the network, side by side\n\n");
        final Path machine = run.resolve("machine.txt");
        if (Files.isRegularFile(machine))
        {
            md.append("```\n").append(Files.readString(machine, StandardCharsets.UTF_8).strip()).append("\n```\n\n");
        }
        md.append("All figures from one run of `bench/side-by-side.sh` (data: `").append(run).append("`). Latency in µs; ")
            .append("ratios are Ferrite's figure over the other's.\n\n");

        md.append("| system | workload | mode | throughput (ops/s) | get p50 | p90 | p99 | p99.9 | max | set p50 | set p99.9 | errors |\n");
        md.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        systems.forEach((name, summary) -> md.append(String.format(Locale.ROOT,
            "| %s (%s) | %s | %s | %,.0f | %s | %s | %s | %s | %s | %s | %s | %d |\n",
            name, summary.path("target").asText(), summary.path("workload").asText(), mode(summary),
            summary.path("throughputOpsPerSecond").asDouble(),
            micros(read(summary), "p50Us"), micros(read(summary), "p90Us"), micros(read(summary), "p99Us"),
            micros(read(summary), "p999Us"), micros(read(summary), "maxUs"),
            micros(write(summary), "p50Us"), micros(write(summary), "p999Us"), summary.path("errors").asLong())));

        final Path redisBenchmark = run.resolve("redis-benchmark.csv");
        if (Files.isRegularFile(redisBenchmark))
        {
            md.append("\n`redis-benchmark` on the same Redis, for reference (its own client, C):\n\n```\n")
                .append(Files.readString(redisBenchmark, StandardCharsets.UTF_8).strip()).append("\n```\n");
        }

        md.append("\n## Targets\n\n| target | measured | verdict |\n|---|---|---|\n");
        for (final String[] row : targets(systems))
        {
            md.append("| ").append(row[0]).append(" | ").append(row[1]).append(" | ").append(row[2]).append(" |\n");
        }
        return md.toString();
    }

    /** Each row: what the target is, what was measured, MET / MISSED / NOT MEASURED. */
    static List<String[]> targets(final Map<String, JsonNode> systems)
    {
        final List<String[]> rows = new ArrayList<>();
        final JsonNode floor = systems.get(FLOOR);
        final JsonNode one = systems.get(FERRITE_ONE);
        final JsonNode half = systems.get(FERRITE_ONE_HALF_LOAD);
        final JsonNode redis = systems.get(REDIS);
        // The floor is one request in flight: compare it with Ferrite at one in flight when measured.
        final JsonNode unloaded = systems.getOrDefault(FERRITE_UNLOADED, one);
        if (floor != null && unloaded != null)
        {
            final double ratio = read(unloaded).path("p50Us").asDouble() / read(floor).path("p50Us").asDouble();
            rows.add(new String[] {"get p50 ≤ 1.5× raw Aeron's", String.format(Locale.ROOT, "%.2f×", ratio), verdict(ratio <= 1.5)});
        }
        else
        {
            rows.add(new String[] {"get p50 ≤ 1.5× raw Aeron's", "—", "NOT MEASURED"});
        }
        if (half != null)
        {
            final double p999 = read(half).path("p999Us").asDouble();
            String measured = String.format(Locale.ROOT, "%.0f µs at %,.0f ops/s", p999, half.path("throughputOpsPerSecond").asDouble());
            final JsonNode redisHalf = systems.get(REDIS_HALF_LOAD);
            if (redisHalf != null)
            {
                final double redisP999 = read(redisHalf).path("p999Us").asDouble();
                measured += String.format(Locale.ROOT, "; Redis at the same rate: %.0f µs (%.2f×)", redisP999, p999 / redisP999);
            }
            rows.add(new String[] {"p99.9 ≤ 250 µs at 50% of max throughput", measured, verdict(p999 <= 250)});
        }
        else
        {
            rows.add(new String[] {"p99.9 ≤ 250 µs at 50% of max throughput", "—", "NOT MEASURED"});
        }
        if (one != null && redis != null)
        {
            final double ratio = one.path("throughputOpsPerSecond").asDouble() / redis.path("throughputOpsPerSecond").asDouble();
            rows.add(new String[] {"throughput per node ≥ Redis's (same concurrency)", String.format(Locale.ROOT, "%.2f×", ratio), verdict(ratio >= 1)});
        }
        else
        {
            rows.add(new String[] {"throughput per node ≥ Redis's (same concurrency)", "—", "NOT MEASURED"});
        }
        return rows;
    }

    private static String verdict(final boolean met)
    {
        return met ? "MET" : "MISSED";
    }

    private static String mode(final JsonNode summary)
    {
        return "open".equals(summary.path("mode").asText()) ?
            String.format(Locale.ROOT, "open %,d/s", summary.path("targetOpsPerSecond").asLong()) :
            "closed " + summary.path("requesters").asInt() + "×" + summary.path("pipelineDepth").asInt();
    }

    private static JsonNode read(final JsonNode summary)
    {
        final JsonNode latency = summary.path("latencyMicros");
        return latency.has("READ") ? latency.get("READ") : latency.path("ALL");
    }

    private static JsonNode write(final JsonNode summary)
    {
        final JsonNode latency = summary.path("latencyMicros");
        return latency.has("UPDATE") ? latency.get("UPDATE") : latency.path("none");
    }

    private static String micros(final JsonNode latency, final String field)
    {
        return latency.has(field) ? String.format(Locale.ROOT, "%.1f", latency.get(field).asDouble()) : "—";
    }

    /** Merges the measured READ-tagged (or untagged) interval histograms of an HdrHistogram log. */
    static Histogram readLatencies(final Path hlog) throws IOException
    {
        if (!Files.isRegularFile(hlog))
        {
            return null;
        }
        final Histogram merged = new Histogram(3);
        final HistogramLogReader reader = new HistogramLogReader(hlog.toFile());
        while (reader.hasNext())
        {
            final org.HdrHistogram.EncodableHistogram next = reader.nextIntervalHistogram();
            if (next instanceof Histogram histogram && (histogram.getTag() == null || "READ".equals(histogram.getTag())))
            {
                merged.add(histogram);
            }
        }
        return merged;
    }
}
