package dev.ferrite.loadgen.report;

import org.HdrHistogram.Histogram;

/**
 * The percentiles every Ferrite report prints, in microseconds.
 */
public record LatencySummary(long count, double meanUs, double p50Us, double p90Us, double p99Us, double p999Us,
    double p9999Us, double maxUs)
{
    public static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};

    public static LatencySummary of(final Histogram nanos)
    {
        return new LatencySummary(
            nanos.getTotalCount(),
            nanos.getMean() / 1e3,
            nanos.getValueAtPercentile(50) / 1e3,
            nanos.getValueAtPercentile(90) / 1e3,
            nanos.getValueAtPercentile(99) / 1e3,
            nanos.getValueAtPercentile(99.9) / 1e3,
            nanos.getValueAtPercentile(99.99) / 1e3,
            nanos.getMaxValue() / 1e3);
    }
}
