package dev.ferrite.bench.network;

import org.HdrHistogram.Histogram;

/**
 * The figures a report shows for one exchange, in nanoseconds.
 */
public record LatencySummary(long count, long p50Ns, long p90Ns, long p99Ns, long p999Ns, long maxNs)
{
    public static LatencySummary of(final Histogram histogram)
    {
        return new LatencySummary(histogram.getTotalCount(),
            histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(90), histogram.getValueAtPercentile(99),
            histogram.getValueAtPercentile(99.9), histogram.getMaxValue());
    }

    /** The five percentiles in report order. */
    long[] percentilesNs()
    {
        return new long[] { p50Ns, p90Ns, p99Ns, p999Ns, maxNs };
    }
}
