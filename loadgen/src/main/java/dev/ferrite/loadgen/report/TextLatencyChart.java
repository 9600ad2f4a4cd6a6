package dev.ferrite.loadgen.report;

import dev.ferrite.loadgen.run.Durations;

import java.io.PrintStream;
import java.util.Locale;

import org.HdrHistogram.Histogram;

/**
 * The latency distribution as bars in the terminal, on a log scale so that p50 and max both fit:
 * <pre>
 *   p50       92 µs  ########
 *   p99      310 µs  ###########
 *   max     1.21 ms  ###############
 * </pre>
 */
public final class TextLatencyChart
{
    private static final int WIDTH = 50;
    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};

    private TextLatencyChart()
    {
    }

    public static void print(final Histogram nanos, final PrintStream out)
    {
        if (nanos.getTotalCount() == 0)
        {
            return;
        }
        final double floor = Math.log10(Math.max(1, nanos.getMinValue()));
        final double span = Math.max(1e-9, Math.log10(Math.max(2, nanos.getMaxValue())) - floor);
        for (final double percentile : PERCENTILES)
        {
            bar(out, label(percentile), nanos.getValueAtPercentile(percentile), floor, span);
        }
        bar(out, "max", nanos.getMaxValue(), floor, span);
    }

    private static void bar(final PrintStream out, final String label, final long valueNs, final double floor, final double span)
    {
        final int length = 1 + (int)Math.round((WIDTH - 1) * (Math.log10(Math.max(1, valueNs)) - floor) / span);
        out.printf(Locale.ROOT, "   %-7s %9s  %s%n", label, Durations.format(valueNs), "#".repeat(Math.max(1, Math.min(WIDTH, length))));
    }

    private static String label(final double percentile)
    {
        return "p" + (percentile == Math.rint(percentile) ? Integer.toString((int)percentile) : Double.toString(percentile));
    }
}
