package dev.ferrite.bench.network;

import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * Times round trips into an HdrHistogram of nanoseconds. The clock reads sit right around
 * {@link RoundTrip#call()}, identically for every stack, so differences between stacks are theirs.
 */
public final class LatencyRecorder
{
    /** Anything slower is recorded as this: a 5 s answer timeout fails the run long before. */
    static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(10);

    private LatencyRecorder()
    {
    }

    /** A histogram with 3 significant digits, the precision HdrHistogram's own reports use. */
    public static Histogram newHistogram()
    {
        return new Histogram(HIGHEST_TRACKABLE_NS, 3);
    }

    /**
     * Runs round trips for {@code durationNs} without recording: JIT, page faults, Aeron's first
     * status messages. @return how many ran.
     */
    public static long warmUp(final RoundTrip roundTrip, final long durationNs)
    {
        final long endNs = System.nanoTime() + durationNs;
        long count = 0;
        do
        {
            roundTrip.call();
            count++;
        }
        while (System.nanoTime() < endNs);
        return count;
    }

    /**
     * Runs round trips for {@code durationNs} (at least one), adding each one's latency to
     * {@code histogram}. Bounded by time, not count, so a run on a loaded machine still ends on time.
     */
    public static void record(final RoundTrip roundTrip, final long durationNs, final Histogram histogram)
    {
        final long endNs = System.nanoTime() + durationNs;
        long startNs;
        do
        {
            startNs = System.nanoTime();
            roundTrip.call();
            histogram.recordValue(Math.min(System.nanoTime() - startNs, HIGHEST_TRACKABLE_NS));
        }
        while (startNs < endNs);
    }
}
