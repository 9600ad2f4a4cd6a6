package dev.ferrite.loadgen.run;

import dev.ferrite.loadgen.keys.InsertCounter;
import dev.ferrite.loadgen.keys.KeyDistribution;
import dev.ferrite.loadgen.target.LoadTarget;
import dev.ferrite.loadgen.workload.Operation;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * Runs one workload against one target: requester threads issue, this thread reports once a
 * second, then everything in flight is allowed to land.
 *
 * <pre>
 *   |-- warm-up (thrown away) --|------------ measurement ------------|-- drain (max 10 s) --|
 *   0                        warmup                        warmup + duration
 * </pre>
 */
public final class LoadRun
{
    private LoadRun()
    {
    }

    /**
     * @param histogramLogOrNull where to write the per-second HdrHistogram log, or null.
     */
    public static RunResult run(
        final LoadTarget target,
        final RunConfig config,
        final ProgressListener progress,
        final PrintStream histogramLogOrNull) throws InterruptedException
    {
        final InsertCounter records = new InsertCounter(config.records());
        final KeyDistribution.Source keySource = config.workload().distribution().source(records);
        final LatencyRecorders recorders = new LatencyRecorders(histogramLogOrNull, System.currentTimeMillis());
        final RunCounters counters = new RunCounters();
        final RunControl control = new RunControl();

        final long startNs = System.nanoTime();
        final long intervalNs = config.openLoop() ? Math.max(1, config.requesters() * 1_000_000_000L / config.targetOpsPerSecond()) : 0;
        final int permits = config.openLoop() ? RunConfig.OPEN_LOOP_MAX_IN_FLIGHT : config.pipelineDepth();
        final List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < config.requesters(); i++)
        {
            final long seed = config.seed() * 1_000_003L + i;
            // Open-loop requesters are staggered so the total rate is smooth, not bursts of N.
            final long firstDueNs = startNs + (config.openLoop() ? intervalNs * i / config.requesters() : 0);
            final Requester requester = new Requester(target.forRequester(i), config.workload(), config.keys(),
                keySource.chooser(seed), records, recorders, counters, control, seed, permits, intervalNs, firstDueNs);
            final Thread thread = new Thread(requester, "requester-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);

        final int totalSeconds = config.warmupSeconds() + config.durationSeconds();
        final Histogram all = new Histogram(LatencyRecorders.HIGHEST_TRACKABLE_NS, 3);
        long measureStartNs = startNs;
        for (int second = 1; second <= totalSeconds; second++)
        {
            sleepUntil(startNs + TimeUnit.SECONDS.toNanos(second));
            final boolean warmup = second <= config.warmupSeconds();
            final long swapNs = System.nanoTime();
            final Map<Operation, Histogram> interval = recorders.endInterval(!warmup);
            all.reset();
            interval.values().forEach(all::add);
            progress.interval(warmup, second, totalSeconds, all);
            if (second == config.warmupSeconds())
            {
                counters.reset();
                measureStartNs = swapNs;
            }
        }
        final long measureEndNs = System.nanoTime();
        control.stop();
        for (final Thread thread : threads)
        {
            thread.join(TimeUnit.SECONDS.toMillis(15));
        }
        recorders.endInterval(true); // answers that landed during the drain

        final Throwable firstError = counters.firstError.get();
        return new RunResult(target.name(), config, RunResult.nonEmpty(recorders.totals()),
            counters.hits.sum(), counters.misses.sum(), counters.errors.sum(),
            firstError == null ? null : String.valueOf(firstError), measureEndNs - measureStartNs);
    }

    private static void sleepUntil(final long deadlineNs) throws InterruptedException
    {
        long remainingNs;
        while ((remainingNs = deadlineNs - System.nanoTime()) > 0)
        {
            TimeUnit.NANOSECONDS.sleep(remainingNs);
        }
    }
}
