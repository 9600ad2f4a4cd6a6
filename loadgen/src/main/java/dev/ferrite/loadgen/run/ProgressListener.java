package dev.ferrite.loadgen.run;

import org.HdrHistogram.Histogram;

/** Hears about each one-second interval of a run (from the reporting thread). */
@FunctionalInterface
public interface ProgressListener
{
    ProgressListener NONE = (warmup, second, totalSeconds, all) -> { };

    /**
     * @param warmup       true while the numbers are still being thrown away.
     * @param second       seconds since the run started, 1-based.
     * @param totalSeconds warm-up plus measurement.
     * @param all          latencies of every operation completed in this interval (ns).
     */
    void interval(boolean warmup, int second, int totalSeconds, Histogram all);
}
