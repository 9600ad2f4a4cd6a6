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
 * <p>The room left is always covered by a filler, written before the first word of the copy in
 * front of it: a walk of the segment steps from each copy to the filler and over it to the records
 * behind, whenever it runs, as over any record whose first word is written. (A first version left
 * the room unwritten and announced it between copies; a helper stalled while linking a copy then left
 * unwritten room that no announcement covered, and the walk took its zero word for the segment's end:
 * RelocationRunStallTest lost 44 keys, uncounted.) Between copies the helper's registry slot names the
 * filler as a record with its first word written, so the segment's memory is not reused while the
 * helper may still write there: a forced reclaim past it steps over the filler (it may flag it
 * superseded, which a filler ignores) and quarantines the memory, as for any stalled writer
 * (see {@code StalledWriters}). The helper's copies then find their source segment gone and are
 * abandoned. Closing only withdraws.
 *
 * <p>A run asks for the bytes the rest of its batch may copy (records already superseded, settled or
 * dead are not counted); records then dropped leave that much more filler, which the next lap
 * reclaims. Used only with eviction on, where batches are claimed (with eviction off a claim is one
 * record), and only while reclaim compacts rather than evicts: under pressure the keep policy drops
 * most claimed records, and their room lost as filler cost hits. Per thread, in its
 * {@link OperationContext}; not thread-safe.
 */
final class RelocationRun
{
    /** Next free address in the run (a filler covers from there to the end), or 0 when no run is open. */
    private long next;
    private long end;
    /** Set by the batch loop: the batch's records from the current one on, as copies would take them. */
    int wantedBytes;
    /** True only while a claimed batch is processed: other relocations allocate one copy at a time. */
    boolean enabled;

    /**
     * Where the next copy of {@code length} bytes goes: from the open run, or from a new one of up to
     * {@link #wantedBytes} (at least {@code length}; less where the open segment ends first, so that a
     * run never leaves a segment's end as filler where a single copy would not have). Writes the
     * filler over the room behind the copy before returning, so the caller may write the copy's first
     * word next.
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
            if (next + length <= end && next > above)
            {
                checkNotReused(log, next);
                final long copy = next;
                next += length;
                coverRoom(log);
                return copy;
            }
            close(registry, registrySlot);
        }
        final int want = Math.max(length, wantedBytes);
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

    /**
     * After a copy from the run was linked or abandoned: name the filler over the room left as this
     * thread's record (first word written), or, when none is left, withdraw. Replaces the withdrawal
     * a single copy makes.
     */
    void afterCopy(final OperationRegistry registry, final int registrySlot)
    {
        if (next != 0 && next < end)
        {
            registry.announceHeaderWritten(registrySlot, next);
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
