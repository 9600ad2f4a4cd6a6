package dev.ferrite.stress.model;

import dev.ferrite.engine.core.StallInjection;

import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Deschedules threads at random {@link StallInjection} points for long enough that the others lap
 * the log meanwhile. Each thread picks one of the given points uniformly (so rare points, such as reopening a
 * deferred segment, are aimed at as often as the common ones), lets a random number of visits of it
 * pass, then sleeps there for a random time, and picks again; a point not reached within
 * {@link #GIVE_UP_VISITS} visits of any point is given up. At most {@code maxStalled} threads sleep
 * at once, so the others always run.
 */
final class RandomStallPlan implements StallInjection.Plan
{
    static final int GIVE_UP_VISITS = 200_000;

    private final int[] points;
    private final int maxStalled;
    private final int maxSkippedVisits;
    private final long minStallNs;
    private final long maxStallNs;
    private final long seed;
    private final AtomicInteger stalledNow = new AtomicInteger();
    private final AtomicInteger threadCount = new AtomicInteger();
    private final List<PerThread> threads = new CopyOnWriteArrayList<>();
    private final ThreadLocal<PerThread> perThread = ThreadLocal.withInitial(this::newThread);

    /**
     * @param points            the points aimed at, by {@link StallInjection} number.
     * @param maxStalled        threads asleep at once, at most.
     * @param maxSkippedVisits  visits of the aimed point let pass before the stall, at most (uniform).
     */
    RandomStallPlan(
        final int[] points, final int maxStalled, final int maxSkippedVisits, final long minStallMs, final long maxStallMs,
        final long seed)
    {
        this.points = points.clone();
        this.maxStalled = maxStalled;
        this.maxSkippedVisits = maxSkippedVisits;
        this.minStallNs = TimeUnit.MILLISECONDS.toNanos(minStallMs);
        this.maxStallNs = TimeUnit.MILLISECONDS.toNanos(maxStallMs);
        this.seed = seed;
    }

    /** One thread's aim and tallies; only that thread writes them (read after it stopped). */
    private static final class PerThread
    {
        final Random random;
        final long[] stalls = new long[StallInjection.POINT_COUNT];
        final long[] stalledNs = new long[StallInjection.POINT_COUNT];
        int targetPoint;
        int visitsToSkip;
        int visitsSinceAimed;

        PerThread(final long seed)
        {
            this.random = new Random(seed);
        }
    }

    private PerThread newThread()
    {
        final PerThread thread = new PerThread(seed + threadCount.incrementAndGet());
        aim(thread);
        threads.add(thread);
        return thread;
    }

    private void aim(final PerThread thread)
    {
        thread.targetPoint = points[thread.random.nextInt(points.length)];
        thread.visitsToSkip = thread.random.nextInt(maxSkippedVisits + 1);
        thread.visitsSinceAimed = 0;
    }

    @Override
    public void reached(final int point)
    {
        final PerThread thread = perThread.get();
        if (++thread.visitsSinceAimed > GIVE_UP_VISITS)
        {
            aim(thread);
            return;
        }
        if (point != thread.targetPoint || thread.visitsToSkip-- > 0)
        {
            return;
        }
        if (stalledNow.incrementAndGet() <= maxStalled)
        {
            final long stallNs = minStallNs + (long)(thread.random.nextDouble() * (maxStallNs - minStallNs));
            final long start = System.nanoTime();
            try
            {
                TimeUnit.NANOSECONDS.sleep(stallNs);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
            thread.stalls[point]++;
            thread.stalledNs[point] += System.nanoTime() - start;
        }
        stalledNow.decrementAndGet();
        aim(thread);
    }

    /** Stalls per point over every thread; only once the threads have stopped. */
    long[] stallsPerPoint()
    {
        final long[] total = new long[StallInjection.POINT_COUNT];
        for (final PerThread thread : threads)
        {
            for (int i = 0; i < total.length; i++)
            {
                total[i] += thread.stalls[i];
            }
        }
        return total;
    }

    /** Points by name, comma-separated; all of them when {@code names} is blank. */
    static int[] points(final String names)
    {
        if (names == null || names.isBlank())
        {
            return java.util.stream.IntStream.range(0, StallInjection.POINT_COUNT).toArray();
        }
        return java.util.Arrays.stream(names.split(",")).map(String::trim).mapToInt(name ->
        {
            for (int i = 0; i < StallInjection.POINT_COUNT; i++)
            {
                if (StallInjection.name(i).equals(name))
                {
                    return i;
                }
            }
            throw new IllegalArgumentException("no stall point named " + name);
        }).toArray();
    }

    String describe()
    {
        final long[] stalls = stallsPerPoint();
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < stalls.length; i++)
        {
            long ns = 0;
            for (final PerThread thread : threads)
            {
                ns += thread.stalledNs[i];
            }
            text.append(i == 0 ? "" : ", ").append(StallInjection.name(i)).append(' ').append(stalls[i])
                .append(" (").append(TimeUnit.NANOSECONDS.toMillis(ns)).append(" ms)");
        }
        return text.toString();
    }
}
