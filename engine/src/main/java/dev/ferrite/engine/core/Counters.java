package dev.ferrite.engine.core;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Statistics counters, one private set per thread: an operation bumps its own thread's cells with
 * a plain read and a release store (no atomic read-modify-write, no shared cache line), and a
 * reading sums every thread's cells. Readings taken during traffic are approximate; each cell is
 * read whole. Wait-free on both sides.
 */
final class Counters
{
    static final int HITS = 0;
    static final int MISSES = 1;
    static final int PUTS = 2;
    static final int REMOVES = 3;
    static final int EVICTIONS = 4;
    static final int EXPIRATIONS = 5;
    static final int RELOCATIONS = 6;
    static final int ENTRIES = 7;
    /** Bytes of the records that are the newest of their key (tombstones included): what compaction must keep. */
    static final int LIVE_BYTES = 8;
    /** Cells are 8 longs of padding away from the array header and each other set's cells. */
    private static final int PAD = 8;
    private static final int COUNT = 9;

    /** Copy-on-write, so summing walks an array and allocates nothing (reclaim sums live bytes). */
    private final AtomicReference<AtomicLongArray[]> perThread = new AtomicReference<>(new AtomicLongArray[0]);

    /** A new thread's cells, registered for summing. Called once per thread per store. */
    AtomicLongArray register()
    {
        final AtomicLongArray cells = new AtomicLongArray(PAD + COUNT + PAD);
        while (true)
        {
            final AtomicLongArray[] current = perThread.get();
            final AtomicLongArray[] updated = Arrays.copyOf(current, current.length + 1);
            updated[current.length] = cells;
            if (perThread.compareAndSet(current, updated))
            {
                return cells;
            }
        }
    }

    /** Owner thread only: plain read, release store. */
    static void add(final AtomicLongArray cells, final int counter, final long delta)
    {
        final int index = PAD + counter;
        cells.lazySet(index, cells.get(index) + delta);
    }

    static void increment(final AtomicLongArray cells, final int counter)
    {
        add(cells, counter, 1);
    }

    long sum(final int counter)
    {
        long sum = 0;
        for (final AtomicLongArray cells : perThread.get())
        {
            sum += cells.get(PAD + counter);
        }
        return sum;
    }
}
