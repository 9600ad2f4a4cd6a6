package dev.ferrite.engine.core;

import dev.ferrite.engine.log.OperationRegistry;
import dev.ferrite.engine.log.RecordDescriptor;
import dev.ferrite.engine.log.SegmentLog;

/**
 * Room at the tail that one reclaim helper takes for a whole claimed batch of relocations with one
 * allocation, then hands out copy by copy. Every allocation is a CAS on the log's one tail word, which
 * all writers share: on 16 cores, with 3.3 relocations a put, that CAS line took over a third of the
 * put path's samples and capped puts near 1 M/s whatever the thread count
 * (bench/reports/data/2026-12-04-device-16core). A run makes it one CAS a batch instead of one a copy.
 *
 * <pre>
 *  while open:   | copy 1 | copy 2 | unwritten ............................. | later writers' records
 *                ^ start           ^ next (this thread's slot announces it)  ^ end
 *  once closed:  | copy 1 | copy 2 | filler covering end - next              |
 * </pre>
 *
 * <p>The unwritten room looks, to a walk of its segment, exactly like the record of a writer that has
 * allocated and not written its first word yet, and is announced the same way: while the run is open
 * the helper's registry slot names {@code next} (between copies) or the copy in progress, never
 * nothing. So a reclaim that reaches the run's segment while the helper is stalled there stops its
 * walk at {@code next} and finds the records behind the run through the index, as for any stalled
 * writer (see {@code StalledWriters}). Closing writes a filler over what is left, then withdraws.
 *
 * <p>A run asks for the bytes the rest of its batch may copy (records already superseded, settled or
 * dead are not counted); records the keep policy then drops leave that much more filler, which the
 * next lap reclaims. Used only with eviction on, where batches are claimed (with eviction off a claim
 * is one record), and only while reclaim compacts rather than evicts: under pressure the keep policy
 * drops most claimed records, and their room lost as filler cost hits. Per thread, in its
 * {@link OperationContext}; not thread-safe.
 */
final class RelocationRun
{
    /** Next free address in the run, or 0 when no run is open. */
    private long next;
    private long end;
    /** Set by the batch loop: the batch's records from the current one on, as copies would take them. */
    int wantedBytes;
    /** True only while a claimed batch is processed: other relocations allocate one copy at a time. */
    boolean enabled;

    /**
     * Where the next copy of {@code length} bytes goes: from the open run, or from a new one of up to
     * {@link #wantedBytes} (at least {@code length}; less where the open segment ends first, so that a
     * run never leaves a segment's end as filler where a single copy would not have).
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
                final long copy = next;
                next += length;
                return copy;
            }
            close(log, registry, registrySlot);
        }
        final int want = Math.max(length, wantedBytes);
        final long start = log.allocate(registrySlot, length, want, SegmentLog.RELOCATION, null);
        final int granted = start < 0 ? 0 : log.grantedLength(start, want);
        if (granted > length)
        {
            next = start + length;
            end = start + granted;
        }
        return start;
    }

    /**
     * After a copy from the run was linked or abandoned: announce the run's unwritten room, or, when
     * none is left, withdraw. Replaces the withdrawal a single copy makes.
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

    /** Ends the open run, if any: a filler over its unwritten room, then the withdrawal (ordered after it). */
    void close(final SegmentLog log, final OperationRegistry registry, final int registrySlot)
    {
        if (next == 0)
        {
            return;
        }
        if (next < end)
        {
            log.buffer(log.logicalSegment(next)).putLong(log.offset(next), RecordDescriptor.fillerWord((int)(end - next)));
        }
        next = 0;
        end = 0;
        registry.withdrawWrite(registrySlot);
    }
}
