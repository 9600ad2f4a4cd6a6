package dev.ferrite.loadgen.run;

import dev.ferrite.loadgen.workload.Operation;

import java.util.EnumMap;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * What a run measured (warm-up excluded).
 *
 * @param targetName  the target's {@code name()}.
 * @param config      how it was loaded.
 * @param latencies   per operation kind that occurred, nanoseconds.
 * @param readHits    reads that found their key.
 * @param readMisses  reads that did not.
 * @param errors      operations that failed (not in the histograms).
 * @param firstError  the first failure's message, or null.
 * @param measuredNanos how long the measurement ran.
 */
public record RunResult(
    String targetName,
    RunConfig config,
    Map<Operation, Histogram> latencies,
    long readHits,
    long readMisses,
    long errors,
    String firstError,
    long measuredNanos)
{
    public long operations()
    {
        long total = 0;
        for (final Histogram histogram : latencies.values())
        {
            total += histogram.getTotalCount();
        }
        return total;
    }

    public double throughputOpsPerSecond()
    {
        return operations() * 1e9 / measuredNanos;
    }

    /** Every operation kind merged. */
    public Histogram allOperations()
    {
        final Histogram all = new Histogram(LatencyRecorders.HIGHEST_TRACKABLE_NS, 3);
        latencies.values().forEach(all::add);
        return all;
    }

    /** Reads that hit, 0..1; NaN when there were no reads. */
    public double readHitRatio()
    {
        final long reads = readHits + readMisses;
        return reads == 0 ? Double.NaN : (double)readHits / reads;
    }

    static Map<Operation, Histogram> nonEmpty(final Map<Operation, Histogram> totals)
    {
        final Map<Operation, Histogram> copy = new EnumMap<>(Operation.class);
        totals.forEach((operation, histogram) ->
        {
            if (histogram.getTotalCount() > 0)
            {
                copy.put(operation, histogram.copy());
            }
        });
        return copy;
    }
}
