package dev.ferrite.engine.log;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * One 128-byte entry per physical segment, off-heap: two cache lines, so that segments do not share
 * a line, and so that the words every reader and reclaim helper reads per record (state, finishing)
 * do not share one with the words reclaim helpers write per batch (cursor, reclaimed, settling).
 * Sharing it, each write to the cursor made every other core's next state read a miss (on 16 cores
 * the cursor's line held 14% of the put path's samples before the split).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+  line 0: read per record,
 *  |   state: logical segment number << 2 | phase (OPEN,           |  written a few times a lap
 *  |          RECLAIMING, QUARANTINED, DEFERRED)                   |
 *  +---------------------------------------------------------------+
 *  |   finishing: logical segment + 1 whose finisher gave up       |
 *  |              waiting for its settlers (0: none yet)           |
 *  +---------------------------------------------------------------+
 *  |   padding to 64 bytes                                      ...|
 *  +---------------------------------------------------------------+  line 1: written per batch
 *  |   reclaim cursor: lap tag (32 bits) | offset of next record   |  by reclaim helpers
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |   reclaimed: lap tag (32 bits) | bytes of processed records   |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |   settling: logical segment (48 bits) | holds (16 bits)       |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |   earliest expiry (epoch ms) of a record written here since   |
 *  |   reclaim began this segment's last lap (0: none); eviction    |
 *  |   off only: Reclaimer's gate                                  |
 *  +---------------------------------------------------------------+
 *  |   padding to 128 bytes                                     ...|
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * A physical segment holds logical segments {@code p, p + n, p + 2n, ...} in turn. A reader that
 * finds a record at logical address {@code a} trusts the bytes it read only if the state names
 * logical segment {@code a >>> shift} both before and after the read: the state changes before the
 * memory is handed to a new logical segment (a sequence lock per segment, with the segment number
 * as the sequence).
 *
 * <pre>
 *   OPEN(L) --> RECLAIMING(L) --> OPEN(L + n)          the usual lap
 *                             \-> QUARANTINED(L + n)   a writer stalled inside L may still write here
 *   QUARANTINED(M) --> OPEN(M + n), or QUARANTINED(M + n) while that writer stays stalled
 *
 *   eviction off:     RECLAIMING(L) --> DEFERRED(L)    a writer stalled inside L may still link there
 *   DEFERRED(L), head at L + kn, writer gone --> relocate what is still current --> OPEN(L + (k+1)n)
 * </pre>
 * A quarantined segment holds no records: the tail steps over it and reclaim only passes it on, so
 * a writer that was descheduled for a whole lap after allocating in it can finish its copy into
 * memory nobody else uses (see {@code Reclaimer}, forced reclaim). A deferred one keeps its lap's
 * records readable, so that a record its stalled writer links late is not lost: the tail steps over
 * it too, and reclaim relocates its records once the writer has left.
 */
public final class SegmentTable
{
    public static final int ENTRY_LENGTH = 128;
    public static final int STATE_OFFSET = 0;
    public static final int FINISHING_OFFSET = 8;
    public static final int CURSOR_OFFSET = 64;
    public static final int RECLAIMED_BYTES_OFFSET = 72;
    public static final int SETTLING_OFFSET = 80;
    public static final int EARLIEST_EXPIRY_OFFSET = 88;
    private static final long LAP_TAG_MASK = 0xFFFF_FFFF_0000_0000L;
    /**
     * The settling word keeps 48 bits of the segment number, not a 32-bit lap tag like the cursor:
     * it is compared by order (a late thread's hold for an earlier lap must not restart a later lap's
     * count), and a 32-bit tag wraps after 2^32 segments (days of writes with small segments), after
     * which every new lap looked earlier than the last ones before the wrap and its holds were
     * dropped for good. 2^48 segments never wrap; 2^16 holds exceed any thread count.
     */
    private static final int SETTLING_HOLD_BITS = 16;
    private static final long SETTLING_HOLD_MASK = (1L << SETTLING_HOLD_BITS) - 1;

    public static final long PHASE_OPEN = 0;
    public static final long PHASE_RECLAIMING = 1;
    public static final long PHASE_QUARANTINED = 2;
    /**
     * Eviction off only: reclaim went on without a writer stalled inside, but the lap's records stay
     * readable (the state keeps their segment number) until that writer has left and a later lap
     * relocates what it may have linked there. See {@code Reclaimer}, forced reclaim.
     */
    public static final long PHASE_DEFERRED = 3;

    private final UnsafeBuffer table;
    private final int count;
    /**
     * Segments now QUARANTINED or DEFERRED, kept by {@link #stateCompareAndSet}: the thread whose CAS
     * moves a segment into or out of those phases counts it. Read by every allocation, written only
     * when a stalled writer is passed, so it lives apart from the tail (a separate object).
     */
    private final java.util.concurrent.atomic.AtomicInteger setAsideSegments = new java.util.concurrent.atomic.AtomicInteger();

    public SegmentTable(final UnsafeBuffer table, final int count)
    {
        this.table = table;
        this.count = count;
    }

    private static long settlingTag(final long segment)
    {
        return segment << SETTLING_HOLD_BITS;
    }

    public static long state(final long logicalSegment, final long phase)
    {
        return (logicalSegment << 2) | phase;
    }

    public static long logicalSegmentOf(final long state)
    {
        return state >>> 2;
    }

    public static long phaseOf(final long state)
    {
        return state & 3;
    }

    public int count()
    {
        return count;
    }

    /** Pairs with {@link #stateCompareAndSet} and {@link #stateRelease}. */
    public long stateAcquire(final int physical)
    {
        return table.getLongVolatile(physical * ENTRY_LENGTH + STATE_OFFSET);
    }

    /** Also counts the segment in or out of {@link #setAsideSegments()} when the CAS wins. Lock-free. */
    public boolean stateCompareAndSet(final int physical, final long expected, final long update)
    {
        if (!table.compareAndSetLong(physical * ENTRY_LENGTH + STATE_OFFSET, expected, update))
        {
            return false;
        }
        final boolean wasSetAside = isSetAside(expected);
        if (wasSetAside != isSetAside(update))
        {
            setAsideSegments.getAndAdd(wasSetAside ? -1 : 1);
        }
        return true;
    }

    private static boolean isSetAside(final long state)
    {
        return phaseOf(state) >= PHASE_QUARANTINED;
    }

    /**
     * Segments QUARANTINED or DEFERRED now, wherever they are in the ring (it may lag a CAS by a few
     * instructions). Allocation keeps this many segments free beyond the reserve: a set-aside segment
     * in front of the tail is no room for relocations, and a reserve made of set-aside segments
     * left eviction-off compaction with nowhere to copy to, for good (the head could not advance to
     * the deferred segments that filled the reserve).
     */
    public int setAsideSegments()
    {
        return setAsideSegments.get();
    }

    public void stateRelease(final int physical, final long state)
    {
        table.putLongRelease(physical * ENTRY_LENGTH + STATE_OFFSET, state);
    }

    public long cursorVolatile(final int physical)
    {
        return table.getLongVolatile(physical * ENTRY_LENGTH + CURSOR_OFFSET);
    }

    public boolean cursorCompareAndSet(final int physical, final long expected, final long update)
    {
        return table.compareAndSetLong(physical * ENTRY_LENGTH + CURSOR_OFFSET, expected, update);
    }

    /** Bytes of this lap's records whose processing finished, tagged with the lap like the cursor. */
    public long reclaimedBytesVolatile(final int physical)
    {
        return table.getLongVolatile(physical * ENTRY_LENGTH + RECLAIMED_BYTES_OFFSET);
    }

    /**
     * Adds processed bytes for the lap {@code tag} (the low 32 bits of its logical segment, in the
     * high 32 bits); a counter still tagged with an earlier lap starts again from zero. A helper back
     * from a lap-long stall adds nothing to a later lap's counter: restarting it there would only
     * cost the finisher an extra walk, but it is not that lap's work. Laps are ordered by the signed
     * difference of their 32-bit tags, exact while the laps compared are under 2^31 segments apart.
     * Lock-free.
     */
    public void addReclaimedBytes(final int physical, final long tag, final long delta)
    {
        final int offset = physical * ENTRY_LENGTH + RECLAIMED_BYTES_OFFSET;
        while (true)
        {
            final long current = table.getLongVolatile(offset);
            final long currentTag = current & 0xFFFF_FFFF_0000_0000L;
            if (currentTag != tag && (int)(tag >>> 32) - (int)(currentTag >>> 32) < 0)
            {
                return; // a late helper of an earlier lap
            }
            final long base = currentTag == tag ? current : tag;
            if (table.compareAndSetLong(offset, current, base + delta))
            {
                return;
            }
        }
    }

    /**
     * Holds on logical segment {@code segment} by threads that settled records they may still copy:
     * one per record for a finisher, one per batch for a helper (see {@code Reclaimer.settle}).
     */
    public int settlingVolatile(final int physical, final long segment)
    {
        final long current = table.getLongVolatile(physical * ENTRY_LENGTH + SETTLING_OFFSET);
        return (current & ~SETTLING_HOLD_MASK) == settlingTag(segment) ? (int)(current & SETTLING_HOLD_MASK) : 0;
    }

    /**
     * One more (+1) or one fewer (-1) hold on logical segment {@code segment}. A counter of an earlier
     * lap starts again from zero; a change for an earlier lap than the counter's is dropped (that lap
     * is over). Lock-free.
     */
    public void addSettling(final int physical, final long segment, final int delta)
    {
        final int offset = physical * ENTRY_LENGTH + SETTLING_OFFSET;
        final long tag = settlingTag(segment);
        while (true)
        {
            final long current = table.getLongVolatile(offset);
            final long currentTag = current & ~SETTLING_HOLD_MASK;
            final long base;
            if (currentTag == tag)
            {
                base = current;
            }
            else if (delta > 0 && Long.compareUnsigned(currentTag, tag) < 0)
            {
                base = tag;
            }
            else
            {
                return;
            }
            if (delta < 0 && (base & SETTLING_HOLD_MASK) == 0)
            {
                return; // never below zero (a counter restarted under a late decrement)
            }
            if (table.compareAndSetLong(offset, current, base + delta))
            {
                return;
            }
        }
    }

    /**
     * Marks logical segment {@code segment} as about to be finished without its settlers: a finisher
     * that gave up on a helper stores it before it fences the LINKING writers, and a helper reads it
     * after its own LINKING announcement and before its index CAS, so either the helper sees the mark
     * or the finisher sees the helper LINKING (a volatile store before a volatile read on each side:
     * Dekker). Stored as {@code segment + 1}, so that the zeroed table marks no segment. Wait-free.
     */
    public void markFinishing(final int physical, final long segment)
    {
        table.putLongVolatile(physical * ENTRY_LENGTH + FINISHING_OFFSET, segment + 1);
    }

    /** True once a finisher of logical segment {@code segment} gave up waiting for its settlers. */
    public boolean isFinishing(final int physical, final long segment)
    {
        return table.getLongVolatile(physical * ENTRY_LENGTH + FINISHING_OFFSET) == segment + 1;
    }

    /**
     * Lowers the segment's earliest expiry to {@code expiresAtMillis} (positive) if that is earlier.
     * Lock-free: a failed CAS means another writer lowered it. Usually a read only: a segment's
     * records mostly expire later than its first.
     *
     * @return true if this call lowered it.
     */
    public boolean lowerEarliestExpiry(final int physical, final long expiresAtMillis)
    {
        final int offset = physical * ENTRY_LENGTH + EARLIEST_EXPIRY_OFFSET;
        long current = table.getLongVolatile(offset);
        while (current == 0 || expiresAtMillis < current)
        {
            if (table.compareAndSetLong(offset, current, expiresAtMillis))
            {
                return true;
            }
            current = table.getLongVolatile(offset);
        }
        return false;
    }

    /** The earliest expiry noted since {@link #clearEarliestExpiry}, or 0 for none. */
    public long earliestExpiry(final int physical)
    {
        return table.getLongVolatile(physical * ENTRY_LENGTH + EARLIEST_EXPIRY_OFFSET);
    }

    public void clearEarliestExpiry(final int physical)
    {
        table.putLongVolatile(physical * ENTRY_LENGTH + EARLIEST_EXPIRY_OFFSET, 0);
    }
}
