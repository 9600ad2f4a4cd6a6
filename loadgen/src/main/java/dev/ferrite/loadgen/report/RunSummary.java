package dev.ferrite.loadgen.report;

import dev.ferrite.loadgen.run.RunConfig;
import dev.ferrite.loadgen.run.RunResult;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * A run's result as a JSON summary (for scripts and reports) and as a readable table.
 */
public final class RunSummary
{
    private RunSummary()
    {
    }

    /** The JSON document: target, settings, throughput, hit ratio, errors, per-operation latency (µs). */
    public static Map<String, Object> document(final RunResult result)
    {
        final RunConfig config = result.config();
        final Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("target", result.targetName());
        doc.put("workload", config.workload().name());
        doc.put("workloadDescription", config.workload().describe());
        doc.put("mode", config.openLoop() ? "open" : "closed");
        doc.put("requesters", config.requesters());
        doc.put("pipelineDepth", config.pipelineDepth());
        doc.put("targetOpsPerSecond", config.targetOpsPerSecond());
        doc.put("records", config.records());
        doc.put("keyBytes", config.keys().keyBytes());
        doc.put("valueBytes", config.keys().valueBytes());
        doc.put("warmupSeconds", config.warmupSeconds());
        doc.put("measuredSeconds", result.measuredNanos() / 1e9);
        doc.put("operations", result.operations());
        doc.put("throughputOpsPerSecond", result.throughputOpsPerSecond());
        doc.put("readHitRatio", Double.isNaN(result.readHitRatio()) ? null : result.readHitRatio());
        doc.put("errors", result.errors());
        doc.put("firstError", result.firstError());
        final Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("ALL", LatencySummary.of(result.allOperations()));
        result.latencies().forEach((operation, histogram) -> latency.put(operation.name(), LatencySummary.of(histogram)));
        doc.put("latencyMicros", latency);
        return doc;
    }

    public static void writeJson(final RunResult result, final Path file) throws IOException
    {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), document(result));
    }

    public static void printTable(final RunResult result, final PrintStream out)
    {
        out.printf(Locale.ROOT, "%s: %s, %s%n", result.targetName(), result.config().workload().describe(),
            result.config().describeMode());
        out.printf(Locale.ROOT, "throughput %,.0f ops/s over %.1f s, %,d operations, %d errors%s%n",
            result.throughputOpsPerSecond(), result.measuredNanos() / 1e9, result.operations(), result.errors(),
            Double.isNaN(result.readHitRatio()) ? "" : String.format(Locale.ROOT, ", read hit ratio %.1f%%", 100 * result.readHitRatio()));
        if (result.firstError() != null)
        {
            out.println("first error: " + result.firstError());
        }
        out.printf(Locale.ROOT, "%-18s %10s %9s %9s %9s %9s %9s %9s%n", "latency (µs)", "count", "p50", "p90", "p99", "p99.9", "p99.99", "max");
        final Map<String, LatencySummary> rows = new LinkedHashMap<>();
        result.latencies().forEach((operation, histogram) -> rows.put(operation.name(), LatencySummary.of(histogram)));
        if (rows.size() > 1)
        {
            rows.put("ALL", LatencySummary.of(result.allOperations()));
        }
        rows.forEach((name, s) -> out.printf(Locale.ROOT, "%-18s %,10d %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f%n",
            name, s.count(), s.p50Us(), s.p90Us(), s.p99Us(), s.p999Us(), s.p9999Us(), s.maxUs()));
    }
}
