package dev.ferrite.loadgen.run;

import dev.ferrite.loadgen.workload.Operation;

import java.io.PrintStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.Recorder;

/**
 * One HdrHistogram {@link Recorder} per operation kind: completions record wait-free from any
 * thread; once a second the reporter swaps out the interval histograms, writes them to the
 * HdrHistogram log (tagged with the operation) and, outside the warm-up, adds them to the totals.
 */
final class LatencyRecorders
{
    /** Latencies above a minute are clamped: a run that slow is broken anyway. */
    static final long HIGHEST_TRACKABLE_NS = TimeUnit.MINUTES.toNanos(1);
    private static final int SIGNIFICANT_DIGITS = 3;
    /** Prefix of the log tags of warm-up intervals, e.g. {@code warmup-READ}. */
    static final String WARMUP_TAG_PREFIX = "warmup-";

    private final Map<Operation, Recorder> recorders = new EnumMap<>(Operation.class);
    private final Map<Operation, Histogram> intervals = new EnumMap<>(Operation.class);
    private final Map<Operation, Histogram> totals = new EnumMap<>(Operation.class);
    private final HistogramLogWriter log;

    LatencyRecorders(final PrintStream histogramLogOrNull, final long startEpochMillis)
    {
        for (final Operation operation : Operation.values())
        {
            recorders.put(operation, new Recorder(HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS));
            totals.put(operation, new Histogram(HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS));
        }
        this.log = histogramLogOrNull == null ? null : new HistogramLogWriter(histogramLogOrNull);
        if (log != null)
        {
            log.outputLogFormatVersion();
            log.outputStartTime(startEpochMillis);
            log.setBaseTime(startEpochMillis);
            log.outputLegend();
        }
    }

    void record(final Operation operation, final long latencyNs)
    {
        recorders.get(operation).recordValue(Math.min(Math.max(latencyNs, 0), HIGHEST_TRACKABLE_NS));
    }

    /**
     * Swaps out this interval's histograms.
     *
     * @param measured add them to the totals (false during warm-up).
     * @return this interval's histogram per operation, valid until the next call.
     */
    Map<Operation, Histogram> endInterval(final boolean measured)
    {
        for (final Operation operation : Operation.values())
        {
            final Histogram interval = recorders.get(operation).getIntervalHistogram(intervals.get(operation));
            intervals.put(operation, interval);
            if (interval.getTotalCount() > 0)
            {
                if (log != null)
                {
                    // Warm-up intervals stay in the log, tagged so readers can leave them out.
                    interval.setTag(measured ? operation.name() : WARMUP_TAG_PREFIX + operation.name());
                    log.outputIntervalHistogram(interval);
                }
                if (measured)
                {
                    totals.get(operation).add(interval);
                }
            }
        }
        return intervals;
    }

    Map<Operation, Histogram> totals()
    {
        return totals;
    }
}
