package dev.ferrite.engine.core;

import dev.ferrite.engine.log.OperationRegistry;
import dev.ferrite.engine.log.RecordDescriptor;
import dev.ferrite.engine.log.SegmentLog;
import dev.ferrite.engine.log.SegmentTable;

import java.lang.invoke.VarHandle;

/**
 * Room at the tail that one reclaim helper takes for a whole claimed batch of relocations with one
 * allocation, then hands out copy by copy. Every allocation is a CAS on the log's one tail word, which
 * all writers share: on 16 cores, with 3.3 relocations a put, that CAS line took over a third of the
 * put path's samples and capped puts near 1 M/s whatever the thread count
 * (bench/reports/data/2026-12-04-device-16core). A run makes it one CAS a batch instead of one a copy.
 *
 * <pre>
 *  taken:        | copy 1 | filler covering end - next ..................... | later writers' records
 *                ^ start  ^ next                                             ^ end
 *  next copy:    | copy 1 | copy 2 | filler covering end - next ............ |
 *                                  ^ next (written before copy 2's first word)
 * </pre>
 *
 * <p>Three rules keep a walk of the run's segment, forced past a stalled helper or not, from losing
 * or resurrecting a record:
 * <ol>
 *   <li>The room left is always covered by a filler, written before the first word of the copy in
 *   front of it: while a copy is in flight (the slot names it, first word written) a walk steps over
 *   the copy and the filler to the records behind. (The first version left the room unwritten, and a
 *   helper stalled while linking a copy lost the records behind it: RelocationRunStallTest (b).)</li>
 *   <li>Between copies the helper's slot announces {@code next} as a write whose first word is not
 *   written, never the filler as a record: a forced reclaim's walk then stops at {@code next} and
 *   finds the records behind through the index, and the memory stays quarantined while the helper
 *   may still write there. (Naming the filler with HEADER_WRITTEN let the pass flag the filler, which
 *   the next copy's first word then overwrote: the walk took that unlinked, stale copy for its key's
 *   newest version and linked it. A review agent found it; RelocationRunStallTest (c).)</li>
 *   <li>Before each copy from an open run, after that announcement (a full fence), the helper checks
 *   that the run's segment is still OPEN for its lap, else it closes the run and takes a new one at
 *   the tail. A reclaim changes the state before it scans the slots (Dekker), so either the helper
 *   sees the change and writes nothing there, or the reclaim sees the announcement and its walk stops
 *   short of the room: no copy appears behind a walk's limit once the walk has begun.</li>
 * </ol>
 * Closing only withdraws: the room is already covered.
 *
 * <p>A run asks for the bytes the rest of its batch may copy (records already superseded, settled or
 * dead are not counted), at most what one filler can cover; records then dropped leave that much
 * more filler, which the next lap reclaims. Used only with eviction on, where batches are claimed
 * (with eviction off a claim is one record), and only while reclaim compacts rather than evicts:
 * under pressure the keep policy drops most claimed records, and their room lost as filler cost
 * hits. Per thread, in its {@link OperationContext}; not thread-safe.
 */
final class RelocationRun
{
    /** The most bytes one filler word can cover: a run's room never exceeds it (review found a wrap). */
    static final int MAX_RUN_BYTES = RecordDescriptor.FILLER_HEADER_LENGTH + RecordDescriptor.MAX_VALUE_LENGTH & ~7;

    /** Next free address in the run (a filler covers from there to the end), or 0 when no run is open. */
    private long next;
    private long end;
    /** Set by the batch loop: the batch's records from the current one on, as copies would take them. */
    int wantedBytes;
    /** True only while a claimed batch is processed: other relocations allocate one copy at a time. */
    boolean enabled;

    /**
     * Where the next copy of {@code length} bytes goes: from the open run while its segment is still
     * OPEN (rule 3), or from a new one of up to {@link #wantedBytes} (at least {@code length}; less
     * where the open segment ends first, so that a run never leaves a segment's end as filler where a
     * single copy would not have). Writes the filler over the room behind the copy before returning,
     * so the caller may write the copy's first word next.
     * A copy must sit above the chain head it links over ({@code above}), and a write may have linked
     * a record above the run since it was taken: then the run is closed and a new one taken at the
     * tail. (Without this, a record sharing its index slot with a hot key lost the race eight times
     * running and was dropped as evicted: 130 evictions in 5 M puts where there had been none.)
     *
     * @return the logical address, or a negative status from {@link SegmentLog#allocate}.
     */
    long take(
        final SegmentLog log, final OperationRegistry registry, final int registrySlot, final int length, final long above)
    {
        if (next != 0)
        {
            if (next + length <= end && next > above && segmentStillOpen(log))
            {
                checkNotReused(log, next);
                final long copy = next;
                next += length;
                coverRoom(log);
                return copy;
            }
            close(registry, registrySlot);
        }
        final int want = Math.min(Math.max(length, wantedBytes), Math.max(length, MAX_RUN_BYTES));
        final long start = log.allocate(registrySlot, length, want, SegmentLog.RELOCATION, null);
        final int granted = start < 0 ? 0 : log.grantedLength(start, want);
        if (granted > length)
        {
            next = start + length;
            end = start + granted;
            coverRoom(log);
        }
        return start;
    }

    /** Rule 3: the run's segment is still OPEN for the lap the run was taken in. */
    private boolean segmentStillOpen(final SegmentLog log)
    {
        final long segment = log.logicalSegment(next);
        return log.table().stateAcquire(log.physical(segment)) == SegmentTable.state(segment, SegmentTable.PHASE_OPEN);
    }

    /**
     * After a copy from the run was linked or abandoned: announce {@code next} as a write whose first
     * word is not written (rule 2; a volatile store, the full fence rule 3 needs), or, when no room is
     * left, withdraw. Replaces the withdrawal a single copy makes.
     */
    void afterCopy(final OperationRegistry registry, final int registrySlot)
    {
        if (next != 0 && next < end)
        {
            registry.announceWrite(registrySlot, next);
            StallInjection.at(StallInjection.RELOCATION_RUN_BETWEEN_COPIES);
            return;
        }
        next = 0;
        end = 0;
        registry.withdrawWrite(registrySlot);
    }

    /** Ends the open run, if any: its room is already covered by a filler. */
    void close(final OperationRegistry registry, final int registrySlot)
    {
        if (next == 0)
        {
            return;
        }
        next = 0;
        end = 0;
        registry.withdrawWrite(registrySlot);
    }

    /**
     * Test builds only (compiled away otherwise, see {@link StallInjection#ENABLED}): the run's memory
     * must still be its segment's lap, or quarantined for this thread, never reused under it. The
     * stall tests then fail loudly where reuse would otherwise overwrite records that may be garbage.
     */
    private static void checkNotReused(final SegmentLog log, final long address)
    {
        if (StallInjection.ENABLED)
        {
            final long segment = log.logicalSegment(address);
            final long state = log.table().stateAcquire(log.physical(segment));
            if (!log.isCurrent(segment) && SegmentTable.phaseOf(state) != SegmentTable.PHASE_QUARANTINED)
            {
                throw new IllegalStateException("a relocation run's memory was reused under it: address " + address +
                    ", state " + state);
            }
        }
    }

    /**
     * A filler over {@code [next, end)}, or nothing when the run is used up. Ordered before the
     * caller's next store, the first word of the copy in front of it: a walk that reads that word
     * then finds the filler behind the copy.
     */
    private void coverRoom(final SegmentLog log)
    {
        if (next < end)
        {
            log.buffer(log.logicalSegment(next)).putLong(log.offset(next), RecordDescriptor.fillerWord((int)(end - next)));
            VarHandle.releaseFence();
        }
    }
}
