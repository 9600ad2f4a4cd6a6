package dev.ferrite.bench.latency;

import dev.ferrite.bench.Args;
import dev.ferrite.bench.ChildJvm;
import dev.ferrite.bench.data.KeyDistribution;
import dev.ferrite.bench.peers.BenchStore;
import dev.ferrite.bench.peers.Implementation;
import dev.ferrite.bench.throughput.Preloader;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Latency of single gets and puts of one implementation under contention, in a JVM of its own
 * (started by {@link LatencyMain}): a preloaded store, T threads running a get/put mix back to
 * back over precomputed Zipfian keys, each op timed with {@link System#nanoTime()} into a per-thread
 * HdrHistogram (get and put apart), merged at the end. After a warm-up phase the histograms are
 * reset. Closed loop: the numbers are service times, not corrected for coordinated omission, and
 * include about 20-30 ns of timer cost.
 */
public final class LatencyProbe
{
    private static final int KEY_SEQUENCE_LENGTH = 1 << 21;
    private static final int OP_SEQUENCE_LENGTH = 1 << 16;

    private LatencyProbe()
    {
    }

    public static void main(final String[] arguments) throws InterruptedException
    {
        final Args args = new Args(arguments, "implementation", "entries", "valueBytes", "threads", "getPercent",
            "warmupSeconds", "seconds", "distribution");
        final Implementation implementation = Implementation.parse(args.get("implementation", "ferrite"));
        final int entries = args.getInt("entries", 1_000_000);
        final int valueBytes = args.getInt("valueBytes", 100);
        final int threads = args.getInt("threads", 2);
        final int getPercent = args.getInt("getPercent", 90);
        final long warmupNs = args.getInt("warmupSeconds", 3) * 1_000_000_000L;
        final long measureNs = args.getInt("seconds", 5) * 1_000_000_000L;

        final BenchStore store = implementation.create(entries, valueBytes);
        Preloader.load(store, entries);
        final int[] keys = KeyDistribution.parse(args.get("distribution", "zipfian")).keyIndexes(entries, KEY_SEQUENCE_LENGTH, 42);
        final boolean[] putMask = KeyDistribution.putMask(100 - getPercent, OP_SEQUENCE_LENGTH, 7);

        final Histogram gets = new Histogram(3);
        final Histogram puts = new Histogram(3);
        final CountDownLatch start = new CountDownLatch(1);
        final AtomicInteger phase = new AtomicInteger();
        final List<Worker> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++)
        {
            final Worker worker = new Worker(store.session(), keys, putMask, t * (KEY_SEQUENCE_LENGTH / threads), start, phase);
            workers.add(worker);
            worker.start();
        }
        start.countDown();
        Thread.sleep(warmupNs / 1_000_000);
        phase.set(1);
        Thread.sleep(measureNs / 1_000_000);
        phase.set(2);
        for (final Worker worker : workers)
        {
            worker.join();
            gets.add(worker.gets);
            puts.add(worker.puts);
        }
        print(implementation.id(), "get", gets);
        print(implementation.id(), "put", puts);
        store.close();
    }

    private static void print(final String id, final String operation, final Histogram histogram)
    {
        System.out.println(ChildJvm.RESULT_PREFIX + String.join("\t", id, operation,
            Long.toString(histogram.getTotalCount()),
            Long.toString(histogram.getValueAtPercentile(50)),
            Long.toString(histogram.getValueAtPercentile(99)),
            Long.toString(histogram.getValueAtPercentile(99.9)),
            Long.toString(histogram.getMaxValue())));
    }

    private static final class Worker extends Thread
    {
        final Histogram gets = new Histogram(3);
        final Histogram puts = new Histogram(3);
        private final BenchStore.Session session;
        private final int[] keys;
        private final boolean[] putMask;
        private final CountDownLatch start;
        private final AtomicInteger phase;
        private int cursor;

        Worker(final BenchStore.Session session, final int[] keys, final boolean[] putMask, final int cursor,
            final CountDownLatch start, final AtomicInteger phase)
        {
            this.session = session;
            this.keys = keys;
            this.putMask = putMask;
            this.cursor = cursor;
            this.start = start;
            this.phase = phase;
        }

        @Override
        public void run()
        {
            try
            {
                start.await();
            }
            catch (final InterruptedException e)
            {
                return;
            }
            boolean measuring = false;
            long sink = 0;
            while (true)
            {
                // Checked every 1024 ops, so the phase read costs nothing measurable.
                if ((cursor & 1023) == 0)
                {
                    final int now = phase.get();
                    if (now == 2)
                    {
                        break;
                    }
                    if (now == 1 && !measuring)
                    {
                        measuring = true;
                        gets.reset();
                        puts.reset();
                    }
                }
                final int step = cursor++;
                final int key = keys[step & (KEY_SEQUENCE_LENGTH - 1)];
                final boolean put = putMask[step & (OP_SEQUENCE_LENGTH - 1)];
                final long begin = System.nanoTime();
                sink += put ? session.put(key) : session.get(key);
                final long elapsed = System.nanoTime() - begin;
                (put ? puts : gets).recordValue(elapsed);
            }
            if (sink == 42)
            {
                System.out.print("");
            }
        }
    }
}
