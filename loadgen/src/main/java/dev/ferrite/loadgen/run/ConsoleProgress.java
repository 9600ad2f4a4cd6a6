package dev.ferrite.loadgen.run;

import java.io.PrintStream;
import java.util.Locale;

import org.HdrHistogram.Histogram;

/**
 * A progress bar with a live latency line, redrawn in place:
 * <pre>
 *   [##########..........]  15/30 s  measure   84,210 ops/s  p50 92 µs  p99 310 µs  p99.9 1.21 ms
 * </pre>
 */
public final class ConsoleProgress implements ProgressListener
{
    private static final int BAR_WIDTH = 20;

    private final PrintStream out;

    public ConsoleProgress(final PrintStream out)
    {
        this.out = out;
    }

    @Override
    public void interval(final boolean warmup, final int second, final int totalSeconds, final Histogram all)
    {
        final int filled = (int)((long)BAR_WIDTH * second / totalSeconds);
        final String bar = "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled);
        out.printf(Locale.ROOT, "\r[%s] %3d/%d s  %-7s %,10d ops/s  p50 %s  p99 %s  p99.9 %s   ",
            bar, second, totalSeconds, warmup ? "warm-up" : "measure", all.getTotalCount(),
            Durations.format(all.getValueAtPercentile(50)), Durations.format(all.getValueAtPercentile(99)),
            Durations.format(all.getValueAtPercentile(99.9)));
        if (second == totalSeconds)
        {
            out.println();
        }
        out.flush();
    }
}
