package dev.ferrite.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One JMH result of {@code ThroughputBenchmark} read from JMH's JSON ({@code -rf json}): its
 * parameters, throughput, allocation per operation and the share of gets that hit.
 *
 * @param bytesPerOp median of {@code gc.alloc.rate.norm} over measurement iterations, leaving out
 *                   each fork's last iteration when it has more than one: JMH runs the trial's
 *                   teardown (closing the store) inside it, which allocates on every implementation.
 * @param getHitRatio hits / (hits + misses) from the benchmark's counters; NaN without gets.
 */
public record JmhResult(String implementation, int getPercent, String distribution, int valueBytes, int threads,
    double opsPerSecond, double opsPerSecondError, double bytesPerOp, double getHitRatio)
{
    public static List<JmhResult> read(final Path file) throws IOException
    {
        final JsonNode root = new ObjectMapper().readTree(file.toFile());
        final List<JmhResult> results = new ArrayList<>();
        for (final JsonNode node : root)
        {
            if (!node.path("benchmark").asText().endsWith("ThroughputBenchmark.operation"))
            {
                continue;
            }
            final JsonNode params = node.path("params");
            final JsonNode primary = node.path("primaryMetric");
            final JsonNode secondary = node.path("secondaryMetrics");
            final double hits = secondary.path("hits").path("score").asDouble(0);
            final double misses = secondary.path("misses").path("score").asDouble(0);
            results.add(new JmhResult(
                params.path("implementation").asText(),
                params.path("getPercent").asInt(),
                params.path("distribution").asText(),
                params.path("valueBytes").asInt(),
                node.path("threads").asInt(),
                primary.path("score").asDouble(),
                primary.path("scoreError").asDouble(Double.NaN),
                steadyBytesPerOp(secondary.path("gc.alloc.rate.norm")),
                hits + misses > 0 ? hits / (hits + misses) : Double.NaN));
        }
        return results;
    }

    static double steadyBytesPerOp(final JsonNode metric)
    {
        if (metric.isMissingNode())
        {
            return Double.NaN;
        }
        final List<Double> values = new ArrayList<>();
        for (final JsonNode fork : metric.path("rawData"))
        {
            final int keep = fork.size() > 1 ? fork.size() - 1 : fork.size();
            for (int i = 0; i < keep; i++)
            {
                values.add(fork.get(i).asDouble());
            }
        }
        if (values.isEmpty())
        {
            return metric.path("score").asDouble(Double.NaN);
        }
        final double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] :
            (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    /** Workload label, as the report names it. */
    public static String mixName(final int getPercent)
    {
        switch (getPercent)
        {
            case 100:
                return "get";
            case 0:
                return "put";
            default:
                return getPercent + "/" + (100 - getPercent) + " get/put";
        }
    }

    public String workload()
    {
        return mixName(getPercent) + ", " + distribution + ", " + valueBytes + " B values";
    }

    static List<Integer> sortedDistinct(final int[] values)
    {
        final List<Integer> list = new ArrayList<>();
        Arrays.stream(values).sorted().distinct().forEach(list::add);
        return list;
    }
}
