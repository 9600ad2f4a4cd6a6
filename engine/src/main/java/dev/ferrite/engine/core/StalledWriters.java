package dev.ferrite.engine.core;

import dev.ferrite.engine.log.OperationRegistry;
import dev.ferrite.engine.log.SegmentLog;
import dev.ferrite.engine.log.SegmentTable;
import org.agrona.UnsafeApi;

import static dev.ferrite.engine.log.SegmentTable.PHASE_RECLAIMING;

/**
 * What reclaim learns from the {@link OperationRegistry} about writers that allocated in the segment
 * it reclaims and have not finished: a writer announced there was descheduled for a whole lap of
 * the log (the tail has left its segment), and may still write into its record.
 *
 * <pre>
 *   segment being reclaimed:
 *   [ r1 ][ r2 ][ W: first word written ][ r4 ][ ?? first word not written ][ r6 ][ r7 ]...[ filler ]
 *                  walk steps over it                ^ walk limit: a walk cannot step past a record
 *                  (flagged superseded, dropped)       whose length it cannot read, so the records
 *                                                      from here on are found through the index
 * </pre>
 *
 * A writer whose first word is not written is announced at the address it read from the tail, and,
 * when its allocation moved the tail on, with a move target: the start of the segment its record
 * begins at (its announced address is then where it writes the filler ending the segment it left).
 * Either may be a loser of the tail CAS that owns nothing; reclaim cannot tell, so it takes the
 * lowest such address as the walk limit: everything below it has its first word written.
 *
 * <p>All methods scan the registry (a few hundred slots) and take no lock.
 */
final class StalledWriters
{
    /** What {@link #inside} finds in a segment. */
    static final int NO_WRITER = 0;
    static final int WRITER_HEADER_WRITTEN = 1;
    static final int WRITER_HEADER_UNWRITTEN = 2;

    private final Store store;
    private final SegmentLog log;
    private final OperationRegistry registry;
    private final SegmentTable table;

    StalledWriters(final Store store)
    {
        this.store = store;
        this.log = store.log;
        this.registry = store.registry;
        this.table = log.table();
    }

    /**
     * Which writers are announced inside logical segment {@code segment}: {@link #NO_WRITER}, or
     * {@link #WRITER_HEADER_WRITTEN} and {@link #WRITER_HEADER_UNWRITTEN} or'ed. A writer without its
     * first word counts in the segment of its announced address and in that of its move target.
     * Otherwise announcements in older segments are ignored: a writer whose first word is written
     * writes only inside that record, whose segment is quarantined; one announced there without it
     * and without a move target here owns nothing here.
     */
    int inside(final long segment)
    {
        int found = NO_WRITER;
        for (int s = registry.nextAnnounced(0); s >= 0; s = registry.nextAnnounced(s + 1))
        {
            final long value = registry.announced(s);
            if (!OperationRegistry.isAddress(value))
            {
                continue;
            }
            if ((value & OperationRegistry.HEADER_WRITTEN) != 0)
            {
                found |= log.logicalSegment(value) == segment ? WRITER_HEADER_WRITTEN : NO_WRITER;
            }
            else if (log.logicalSegment(value) == segment || log.logicalSegment(registry.moveTarget(s)) == segment)
            {
                found |= WRITER_HEADER_UNWRITTEN;
            }
        }
        return found;
    }

    /**
     * The offset in {@code segment} below which every record's first word is written: the lowest
     * address announced there without HEADER_WRITTEN, 0 for a move target there, else the segment's
     * length. A later call may return more (writers write their first word or leave), never less
     * than the truth, since a winner of the tail CAS stays announced until its first word is written.
     */
    int walkLimit(final long segment)
    {
        int limit = log.segmentBytes();
        for (int s = registry.nextAnnounced(0); s >= 0; s = registry.nextAnnounced(s + 1))
        {
            final long value = registry.announced(s);
            if (OperationRegistry.isAddress(value) && (value & OperationRegistry.HEADER_WRITTEN) == 0)
            {
                if (log.logicalSegment(value) == segment)
                {
                    limit = Math.min(limit, log.offset(value));
                }
                if (log.logicalSegment(registry.moveTarget(s)) == segment)
                {
                    limit = 0;
                }
            }
        }
        return limit;
    }

    /**
     * Forced reclaim: flags superseded the record of every writer stalled inside {@code segment}
     * with its first word written. The walk then checks its chain instead of taking it for its key's
     * newest version, and drops it unless its writer linked it first; the writer, when it resumes,
     * finds the flag (or its segment gone) before its index CAS and writes again elsewhere.
     */
    void pass(final long segment)
    {
        for (int s = registry.nextAnnounced(0); s >= 0; s = registry.nextAnnounced(s + 1))
        {
            final long value = registry.announced(s);
            if (OperationRegistry.isAddress(value) && (value & OperationRegistry.HEADER_WRITTEN) != 0 &&
                log.logicalSegment(value) == segment)
            {
                final long record = OperationRegistry.addressOf(value);
                final long word = log.buffer(segment).getLongVolatile(log.offset(record));
                UnsafeApi.loadLoadFence(); // the word is read before the state and the slot
                // Validate before flagging: this thread may have been descheduled since the scan, the
                // writer gone and the segment reused, and the word at that offset someone else's data.
                // A validated word makes the CAS as safe as any late CAS on a header (see Reclaimer.settle).
                if (table.stateAcquire(log.physical(segment)) == SegmentTable.state(segment, PHASE_RECLAIMING) &&
                    registry.announced(s) == value)
                {
                    store.markSuperseded(record, word);
                }
            }
        }
    }

    /**
     * True while a writer announced in a lap of this physical segment up to {@code segment} may still
     * write there, so the memory must not be reused: one whose first word is written, inside its
     * record; one without it, at its announced address (its record, or the filler ending that
     * segment) and at its move target. An announcement only moves on (to the tail), never back, so
     * once this returns false it stays false for these laps.
     */
    boolean mayWriteIn(final long segment)
    {
        final int physical = log.physical(segment);
        for (int s = registry.nextAnnounced(0); s >= 0; s = registry.nextAnnounced(s + 1))
        {
            final long value = registry.announced(s);
            if (!OperationRegistry.isAddress(value))
            {
                continue;
            }
            if (reaches(log.logicalSegment(value), segment, physical))
            {
                return true;
            }
            if ((value & OperationRegistry.HEADER_WRITTEN) == 0)
            {
                final long target = registry.moveTarget(s);
                if (target != 0 && reaches(log.logicalSegment(target), segment, physical))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean reaches(final long announcedSegment, final long segment, final int physical)
    {
        return announcedSegment <= segment && log.physical(announcedSegment) == physical;
    }
}
