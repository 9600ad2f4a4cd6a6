package dev.ferrite.engine.core;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes that reclaim's copies may still take under eviction pressure. Each segment reclaimed
 * adds a share of a segment ({@code keepPercent}); each copy pays for itself; a copy that finds the
 * budget spent is dropped (evicted) instead. So every lap frees room for new keys even when the
 * keep policy would keep everything. Unused budget carries over, up to {@code carrySegments}
 * segments' worth, so a run of cold segments cannot bank a lap of copies for a hot one later.
 *
 * <p>Progress: {@link #addSegment()} and {@link #take(int)} are lock-free (a failed CAS means
 * another thread added or paid) and allocate nothing.
 */
final class KeepBudget
{
    private final AtomicLong bytes = new AtomicLong();
    private final int segmentBytes;
    private final long perSegment;
    private final long limit;

    KeepBudget(final int segmentBytes, final int keepPercent, final int carrySegments)
    {
        this.segmentBytes = segmentBytes;
        this.perSegment = (long)segmentBytes * keepPercent / 100;
        this.limit = (long)segmentBytes * carrySegments;
    }

    /** A copy's length plus its share of the filler records of its length leave at a tail segment's end. */
    static long copyCost(final int segmentBytes, final int covered)
    {
        final int perSegmentRecords = Math.max(1, segmentBytes / covered);
        return covered + (long)(segmentBytes - perSegmentRecords * covered) / perSegmentRecords;
    }

    /** Adds one reclaimed segment's share, capped at the carry limit. */
    void addSegment()
    {
        while (true)
        {
            final long budget = bytes.get();
            final long next = Math.min(limit, budget + perSegment);
            if (next == budget || bytes.compareAndSet(budget, next))
            {
                return;
            }
        }
    }

    /**
     * Pays for one copy; false when the budget cannot. A copy costs its length plus its share of
     * the filler that records of its length leave at the end of a tail segment ({@code segment mod
     * length} over {@code segment / length} records): three 1 KiB records fill only 3/4 of a 4 KiB
     * segment, and paying only for the bytes copied would let copies take more of the tail than
     * reclaim frees.
     */
    boolean take(final int covered)
    {
        final long cost = copyCost(segmentBytes, covered);
        while (true)
        {
            final long budget = bytes.get();
            if (budget < cost)
            {
                return false;
            }
            if (bytes.compareAndSet(budget, budget - cost))
            {
                return true;
            }
        }
    }
}
