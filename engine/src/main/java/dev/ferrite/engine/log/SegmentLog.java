package dev.ferrite.engine.log;

import dev.ferrite.engine.Status;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static dev.ferrite.engine.log.SegmentTable.PHASE_OPEN;
import static dev.ferrite.engine.log.SegmentTable.PHASE_QUARANTINED;
import static dev.ferrite.engine.log.SegmentTable.logicalSegmentOf;

/**
 * The record log: a circular run of fixed-size segments addressed by an ever-growing 64-bit
 * logical address. Logical segment {@code L} lives in physical segment {@code L mod n}; the
 * address of a byte is {@code L << shift | offset}. Address 0 is never used, so it means "none".
 *
 * <pre>
 *   physical:   [ 0 ][ 1 ][ 2 ][ 3 ][ 4 ][ 5 ][ 6 ][ 7 ]
 *   logical:     L8   L9   L10  L11  L4   L5   L6   L7       head = L4 (oldest), tail in L11
 *                                    ^ reclaimed next: its live, frequently used records are
 *                                      copied to the tail, the rest are evicted
 * </pre>
 *
 * <p>Allocation is a bump of {@link #tail} by CAS: lock-free, since a failed CAS means another
 * thread allocated. A record that does not fit the rest of a segment moves the tail to the next
 * one; the thread that moves it writes a filler over the unused end. The tail may only enter a
 * segment whose state says it is open for that logical number, steps over quarantined ones (a
 * writer stalled for a lap may still write there, see {@link SegmentTable}), and normal writes keep
 * {@link dev.ferrite.engine.CacheConfig#RESERVED_SEGMENTS} open segments free for reclaim's copies.
 */
public final class SegmentLog
{
    /**
     * How long a write that needs the oldest segment waits, per segment, for a writer stalled inside
     * it (it allocated there and was descheduled for a whole lap of the log) before it forces the
     * reclaim past that writer (see {@code Reclaimer}, forced reclaim). Counted in time, not tries: with more
     * threads than cores a descheduled thread is away for a scheduler time slice (milliseconds). A
     * writer resumed within it finishes normally; one that is not is passed: with eviction on its
     * record is dropped and it writes again when it resumes; with eviction off a record it links
     * late is kept (its segment is deferred).
     */
    static final long FORCE_RECLAIM_AFTER_NS = TimeUnit.MILLISECONDS.toNanos(2);
    /**
     * With eviction on, reclaims one write may perform, in laps of the log, before it returns FULL.
     * Every reclaim then frees space, but writers in the fast path may take it first: a write that
     * keeps losing that race is starved, not out of space, so it keeps reclaiming (yielding after the
     * first lap so the winners' writes finish) instead of failing after one lap.
     */
    static final int EVICTING_RECLAIM_LAPS = 64;

    private final UnsafeBuffer[] segments;
    private final SegmentTable table;
    private final OperationRegistry registry;
    private final int segmentShift;
    private final int segmentBytes;
    private final long offsetMask;
    private final int segmentCount;
    private final int reservedSegments;
    private final int maxReclaimsPerWrite;
    private final AtomicLong tail;
    private final AtomicLong headSegment;

    public SegmentLog(
        final long dataAddress,
        final int segmentBytes,
        final int segmentCount,
        final SegmentTable table,
        final OperationRegistry registry,
        final int reservedSegments,
        final boolean evictionEnabled)
    {
        this.segmentBytes = segmentBytes;
        this.segmentShift = Integer.numberOfTrailingZeros(segmentBytes);
        this.offsetMask = segmentBytes - 1L;
        this.segmentCount = segmentCount;
        this.table = table;
        this.registry = registry;
        this.reservedSegments = reservedSegments;
        // Eviction off: a lap of reclaims that frees nothing (all live) means full.
        this.maxReclaimsPerWrite = evictionEnabled ? segmentCount * EVICTING_RECLAIM_LAPS : segmentCount + 2;
        this.segments = new UnsafeBuffer[segmentCount];
        for (int i = 0; i < segmentCount; i++)
        {
            segments[i] = new UnsafeBuffer(dataAddress + (long)i * segmentBytes, segmentBytes);
        }
        // Logical segments 1..n start open; logical 0 is skipped so that address 0 means "none".
        for (long logical = 1; logical <= segmentCount; logical++)
        {
            table.stateRelease(physical(logical), SegmentTable.state(logical, PHASE_OPEN));
        }
        this.tail = new AtomicLong(1L << segmentShift);
        this.headSegment = new AtomicLong(1);
    }

    public int segmentBytes()
    {
        return segmentBytes;
    }

    public int segmentCount()
    {
        return segmentCount;
    }

    public SegmentTable table()
    {
        return table;
    }

    public OperationRegistry registry()
    {
        return registry;
    }

    public long logicalSegment(final long address)
    {
        return address >>> segmentShift;
    }

    public int offset(final long address)
    {
        return (int)(address & offsetMask);
    }

    public int physical(final long logicalSegment)
    {
        return (int)(logicalSegment % segmentCount);
    }

    public UnsafeBuffer buffer(final long logicalSegment)
    {
        return segments[physical(logicalSegment)];
    }

    public long segmentStart(final long logicalSegment)
    {
        return logicalSegment << segmentShift;
    }

    public long headSegment()
    {
        return headSegment.get();
    }

    public boolean advanceHead(final long expectedHead)
    {
        return headSegment.compareAndSet(expectedHead, expectedHead + 1);
    }

    public long tail()
    {
        return tail.get();
    }

    /**
     * Open segments after the tail's, less those set aside: what writes may still move into before
     * one of them must reclaim. A write moves on only while at least the reserved segments stay
     * open, so reclaiming ahead keeps this above {@link #reservedSegments()}.
     */
    public long openSegmentsAhead()
    {
        return headSegment.get() + segmentCount - 1 - (tail.get() >>> segmentShift) - table.setAsideSegments();
    }

    /** Segments that only relocations may open: the room reclaim needs to keep live records. */
    public int reservedSegments()
    {
        return reservedSegments;
    }

    /** Bytes between the oldest unreclaimed segment and the tail: what the log occupies now. */
    public long bytesInUse()
    {
        return tail.get() - segmentStart(headSegment.get());
    }

    /**
     * Acquire load of the state of the segment holding {@code logicalSegment}. The bytes of a record
     * in it are trustworthy only if this returns that segment's number both before and after they
     * are read, with a load-load fence before the second read.
     */
    public boolean isCurrent(final long logicalSegment)
    {
        return logicalSegmentOf(table.stateAcquire(physical(logicalSegment))) == logicalSegment;
    }

    /**
     * Bytes an allocation at {@code address} of up to {@code maxLength} got: as many as fit before the
     * segment's last word (the tail never rests on a boundary, see allocate), at most {@code maxLength}.
     * Never less than the least length asked for, which allocate checked fits.
     */
    public int grantedLength(final long address, final int maxLength)
    {
        return Math.min(maxLength, segmentBytes - Long.BYTES - offset(address));
    }

    /** A new record: leaves every reserved segment to relocations. */
    public static final int WRITE = 0;
    /**
     * A remove's tombstone on a store where a {@link #WRITE} found no room: may take all reserved
     * segments but one. A remove is how space comes back on a full store with eviction off, and it
     * needs a tombstone; one segment is still enough for compaction to relocate the oldest segment's
     * live records and free the rest. Only then: with every tombstone allowed there, concurrent
     * relocations ran out of room now and then (the stalled-threads model test saw single FULLs).
     */
    public static final int TOMBSTONE = 1;
    /** Reclaim's copy of a live record: may take every reserved segment, and never starts a reclaim. */
    public static final int RELOCATION = 2;

    /**
     * Allocates {@code length} bytes (a multiple of 8). The caller has claimed {@code slot} in the
     * registry; this announces the write there before the space becomes its own, and withdraws it
     * while it reclaims or when it fails. On success the announcement stays until the caller writes
     * the record's first word (then it announces that, see {@link OperationRegistry}), withdraws it,
     * or releases the slot.
     *
     * @param kind {@link #WRITE}, {@link #TOMBSTONE} or {@link #RELOCATION}: how much of the room
     *             kept for relocations it may use.
     * @return the logical address, or {@link Status#FULL} when no open segment can take it.
     */
    public long allocate(final int slot, final int length, final int kind, final SpaceReclaimer reclaimer)
    {
        return allocate(slot, length, length, kind, reclaimer);
    }

    /**
     * As {@link #allocate(int, int, int, SpaceReclaimer)}, but takes up to {@code maxLength} bytes
     * where the open segment has room for more than {@code length}: a relocation run (see
     * {@code RelocationRun}) takes what fits instead of leaving the segment's end as filler.
     * {@link #grantedLength} tells how much an allocation got.
     */
    public long allocate(final int slot, final int length, final int maxLength, final int kind, final SpaceReclaimer reclaimer)
    {
        final boolean relocation = kind == RELOCATION;
        // Set-aside segments count as used for all but relocations: those need the reserve as open segments.
        final int mustLeaveOpen = relocation ? 0 : kind == TOMBSTONE ? Math.min(1, reservedSegments) : reservedSegments;
        int reclaims = 0;
        int refusals = 0;
        long firstRefusalNs = 0;
        boolean forced = false;
        while (true)
        {
            final long current = tail.get();
            registry.announceWrite(slot, current);
            final long segment = current >>> segmentShift;
            final int offset = (int)(current & offsetMask);
            // Strictly less: the tail never rests on a boundary, where the next allocation would
            // enter the next segment without the open check below.
            // Normal writes stay out of the reserved segments even once a relocation has opened
            // one: otherwise they eat the room reclaim needs to keep live records.
            if (offset + length < segmentBytes &&
                (relocation || headSegment.get() + segmentCount - 1 - segment - table.setAsideSegments() >= mustLeaveOpen))
            {
                if (tail.compareAndSet(current, current + grantedLength(current, maxLength)))
                {
                    return current;
                }
                continue;
            }

            // Step over quarantined and deferred segments: a stalled writer may still write there.
            long next = segment + 1;
            long nextState = table.stateAcquire(physical(next));
            for (int skipped = 0; setAside(nextState, next) && skipped < segmentCount; skipped++)
            {
                next++;
                nextState = table.stateAcquire(physical(next));
            }
            final long openAfterNext = headSegment.get() + segmentCount - 1 - next;
            final boolean nextOpen = nextState == SegmentTable.state(next, PHASE_OPEN);
            if (nextOpen && (relocation ? openAfterNext >= 0 : openAfterNext - table.setAsideSegments() >= mustLeaveOpen))
            {
                final long start = next << segmentShift;
                registry.announceMoveTarget(slot, start);
                if (tail.compareAndSet(current, start + grantedLength(start, maxLength)))
                {
                    if (offset < segmentBytes)
                    {
                        segments[physical(segment)].putLong(offset, RecordDescriptor.fillerWord(segmentBytes - offset));
                    }
                    return start;
                }
                continue;
            }
            // Owns nothing yet: withdraw while reclaiming (long, and it may be descheduled there) or
            // failing, so a stale announcement never looks like a writer stalled in that segment.
            registry.withdrawWrite(slot);
            if (relocation || reclaimer == null)
            {
                return Status.FULL;
            }
            // Bounded, see maxReclaimsPerWrite. A refusal because of a stalled writer is not a reclaim:
            // it is bounded in time instead (and ends in a forced reclaim after 2 ms).
            if (++reclaims > maxReclaimsPerWrite)
            {
                return Status.FULL;
            }
            // A whole lap of reclaims without room: the keep policy is not freeing enough (large
            // records pack badly into the tail, or other writers take what it frees), so reclaim
            // turns strict until this write gets its space.
            final boolean urgent = reclaims > segmentCount;
            if (urgent)
            {
                Thread.yield();
            }
            final int outcome = reclaimer.reclaimHead(slot, urgent, forced);
            if (outcome == SpaceReclaimer.NOTHING_TO_GAIN && !reclaimer.reopenDeferredAhead(slot))
            {
                return Status.FULL;
            }
            if (outcome == SpaceReclaimer.RECLAIMED)
            {
                // The wait is per segment: the next one gets its own grace before a reclaim is forced,
                // so a writer merely slow in it is not dropped for another's stall.
                refusals = 0;
                forced = false;
            }
            if (outcome == SpaceReclaimer.WRITER_INSIDE)
            {
                reclaims--;
                // A writer descheduled inside the oldest segment for a whole lap (a small store,
                // threads outnumbering cores): yield so it can run, then force the reclaim past it,
                // which a forced reclaim always does. Not a lock: nothing here is held, and the wait
                // is bounded.
                final long nowNs = System.nanoTime();
                if (refusals++ == 0)
                {
                    firstRefusalNs = nowNs;
                }
                else if (nowNs - firstRefusalNs > FORCE_RECLAIM_AFTER_NS)
                {
                    forced = true;
                }
                Thread.yield();
            }
        }
    }

    /**
     * True when the tail must step over the physical segment of logical {@code segment}: quarantined
     * for that lap, or deferred with an earlier lap's records still readable in it.
     */
    private static boolean setAside(final long state, final long segment)
    {
        return state == SegmentTable.state(segment, PHASE_QUARANTINED) ||
            (SegmentTable.phaseOf(state) == SegmentTable.PHASE_DEFERRED && SegmentTable.logicalSegmentOf(state) < segment);
    }

    /** Makes room at the head of the log; implemented by the eviction policy. */
    public interface SpaceReclaimer
    {
        /** The oldest segment was reclaimed (by this thread or with its help). */
        int RECLAIMED = 0;
        /** Eviction is off and compaction would free nothing, or a record that must be kept found no room. */
        int NOTHING_TO_GAIN = 1;
        /** A writer may still be copying into the oldest segment, and this reclaim could not pass it. */
        int WRITER_INSIDE = 2;

        /**
         * Reclaims, or helps reclaim, the oldest segment.
         *
         * @param urgent the caller has reclaimed a whole lap without finding room: keep only what
         *               the policy must, so that this reclaim frees at least half of what it walks.
         * @param force  the caller has waited {@link #FORCE_RECLAIM_AFTER_NS} for a writer stalled
         *               inside the oldest segment: go on without it where that is safe.
         * @return {@link #RECLAIMED}, {@link #NOTHING_TO_GAIN} or {@link #WRITER_INSIDE}.
         */
        int reclaimHead(int slot, boolean urgent, boolean force);

        /**
         * Opens segments set aside in front of the tail that no stalled writer can write into any
         * more, when reclaiming the head could not make room.
         *
         * @return true if it opened at least one.
         */
        boolean reopenDeferredAhead(int slot);
    }
}
