package dev.ferrite.bench.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Writes the raw Aeron and Ferrite results as load-generator summaries ({@code <dir>/aeron-floor/summary.json}
 * and {@code <dir>/ferrite-1-unloaded/summary.json}), so {@code bench/side-by-side.sh} puts the floor in
 * the same report as the loaded runs. Gets are reported as READ, sets as UPDATE.
 */
final class NetworkLatencyJson
{
    static final String FLOOR = "aeron-floor";
    static final String FERRITE_UNLOADED = "ferrite-1-unloaded";

    private NetworkLatencyJson()
    {
    }

    static void write(final List<NetworkLatencyReport.Result> results, final long measuredNanosPerExchange, final Path directory)
        throws IOException
    {
        write(results, Exchange.RAW_AERON, "raw Aeron ping-pong", measuredNanosPerExchange, directory.resolve(FLOOR));
        write(results, Exchange.FERRITE, "ferrite (1 node, one request in flight)", measuredNanosPerExchange, directory.resolve(FERRITE_UNLOADED));
    }

    private static void write(
        final List<NetworkLatencyReport.Result> results,
        final String stack,
        final String target,
        final long measuredNanosPerExchange,
        final Path directory) throws IOException
    {
        final Map<String, Object> latency = new LinkedHashMap<>();
        long operations = 0;
        for (final NetworkLatencyReport.Result result : results)
        {
            if (result.exchange().stack().equals(stack))
            {
                latency.put("get".equals(result.exchange().operation()) ? "READ" : "UPDATE", micros(result.summary()));
                operations += result.summary().count();
            }
        }
        if (latency.isEmpty())
        {
            return;
        }
        final Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("target", target);
        summary.put("workload", "get and set, one in flight");
        summary.put("mode", "closed");
        summary.put("requesters", 1);
        summary.put("pipelineDepth", 1);
        summary.put("throughputOpsPerSecond", operations * 1e9 / (measuredNanosPerExchange * latency.size()));
        summary.put("errors", 0);
        summary.put("latencyMicros", latency);
        Files.createDirectories(directory);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(directory.resolve("summary.json").toFile(), summary);
    }

    private static Map<String, Object> micros(final LatencySummary summary)
    {
        final Map<String, Object> micros = new LinkedHashMap<>();
        micros.put("count", summary.count());
        micros.put("p50Us", summary.p50Ns() / 1e3);
        micros.put("p90Us", summary.p90Ns() / 1e3);
        micros.put("p99Us", summary.p99Ns() / 1e3);
        micros.put("p999Us", summary.p999Ns() / 1e3);
        micros.put("maxUs", summary.maxNs() / 1e3);
        return micros;
    }
}
