package dev.ferrite.engine.core;

import dev.ferrite.engine.log.SegmentLog;
import dev.ferrite.engine.log.SegmentTable;
import org.agrona.concurrent.EpochClock;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Eviction off: tells compaction whether the log may hold an expired record, whose bytes a lap of
 * compaction would free though no garbage is counted for them. Without it a store filled with
 * entries that all expired refused every new key FULL for good (found by review).
 *
 * <p>Each segment's table entry keeps the earliest expiry written into it in its lap
 * ({@link SegmentTable#lowerEarliestExpiry}; cleared when reclaim starts the segment's lap), and
 * this keeps a lower bound of them all, so the question costs three reads while nothing can have
 * expired. Once the bound has passed, one pass over the table answers it: the segments holding an
 * expiry already due set {@link #dueThrough}, the last of them, so the gate stays open without
 * another pass until the head has passed it (review: a pass per reclaimed segment made reaching an
 * expired record k segments away cost k passes); the others' earliest expiry becomes the new bound.
 *
 * <pre>
 *   writer that lowered a segment's note        gate (eviction off, no garbage counted)
 *     bound a time:  CAS it down to its expiry    dueThrough >= head: due
 *     a pass's mark: CAS it to DIRTY              bound > now:        not due (three reads in all)
 *     DIRTY:         nothing                      else, pass n: bound -> -n (CAS, from a time,
 *                                                   DIRTY or another mark), read every note;
 *                                                   due ones raise dueThrough; then
 *                                                   -n -> earliest note not yet due (CAS)
 * </pre>
 * Raising the bound is a CAS from the pass's own mark, set before it reads the notes, so a writer
 * that lowers a note the pass already read makes that CAS fail (DIRTY then sends the next gate to
 * a new pass). Raising it from the value read, as the first version did, lost such a note: the
 * bound went past an expiry still in the log, and writes got FULL while it held space (review); so
 * did one mark shared by all passes, once a second pass marked the bound again (the next review).
 *
 * <p>Progress: {@link #note} and {@link #due} are lock-free (a failed CAS means another thread moved
 * the bound) and allocate nothing. A stale answer only costs work, never data: too early, a lap
 * of compaction frees less than hoped; too late, a write gets FULL until the next note or garbage.
 */
final class ExpiryWatch
{
    /** Unknown: at or before any clock reading, so the next gate makes a pass. Marks are below it. */
    private static final long DIRTY = 0;
    /** No note at all. */
    private static final long NONE = Long.MAX_VALUE;

    private final SegmentLog log;
    private final SegmentTable table;
    private final EpochClock clock;
    private final AtomicLong bound = new AtomicLong(NONE);
    /** The last logical segment a pass found holding an expiry already due; -1 for none. */
    private final AtomicLong dueThrough = new AtomicLong(-1);
    /** Passes so far; pass n marks the bound -n while it reads the notes (see the class note). */
    private final AtomicLong passes = new AtomicLong();

    ExpiryWatch(final SegmentLog log, final EpochClock clock)
    {
        this.log = log;
        this.table = log.table();
        this.clock = clock;
    }

    /** A record expiring at {@code expiresAtMillis} (0: never) was written at {@code record}. Lock-free. */
    void note(final long record, final long expiresAtMillis)
    {
        if (expiresAtMillis <= 0 ||
            !table.lowerEarliestExpiry(log.physical(log.logicalSegment(record)), expiresAtMillis))
        {
            return; // never expires, or the segment already notes an earlier expiry, which the bound covers
        }
        while (true)
        {
            final long current = bound.get();
            final long next;
            if (current < 0)
            {
                next = DIRTY; // a pass is reading the notes: make its raise fail
            }
            else if (expiresAtMillis < current)
            {
                next = expiresAtMillis; // DIRTY (0) is never above an expiry: nothing to do there
            }
            else
            {
                return;
            }
            if (bound.compareAndSet(current, next))
            {
                return;
            }
        }
    }

    /** Whether some record in the log may have expired. Lock-free; a pass over the table at most. */
    boolean due()
    {
        final long now = clock.time();
        // The bound first: a pass raises dueThrough before the bound, so a raised bound read here
        // comes with its pass's dueThrough below.
        final long current = bound.get();
        final long head = log.headSegment();
        if (dueThrough.get() >= head)
        {
            return true;
        }
        if (current > now)
        {
            return false;
        }
        // Only the pass whose mark is still there may raise the bound afterwards. The mark is this
        // pass's own: with one value for every pass, a pass overtaken by a writer (its mark turned
        // DIRTY) and then by another pass (DIRTY marked again) raised the bound over the writer's
        // note all the same (review: ABA). Taking over another pass's mark is safe (this pass reads
        // every note after its CAS), and a pass descheduled before its raise then holds up nobody.
        final long scanning = -passes.incrementAndGet();
        final boolean raises = bound.compareAndSet(current, scanning);
        long earliestAhead = NONE;
        long lastDue = -1;
        final int segments = log.segmentCount();
        for (int physical = 0; physical < segments; physical++)
        {
            final long expiry = table.earliestExpiry(physical);
            if (expiry == 0)
            {
                continue;
            }
            if (expiry <= now)
            {
                lastDue = Math.max(lastDue, SegmentTable.logicalSegmentOf(table.stateAcquire(physical)));
            }
            else if (expiry < earliestAhead)
            {
                earliestAhead = expiry;
            }
        }
        final boolean isDue = lastDue >= head;
        if (isDue)
        {
            long through;
            while (lastDue > (through = dueThrough.get()) && !dueThrough.compareAndSet(through, lastDue))
            {
                // another pass raised it: compare again
            }
        }
        if (raises)
        {
            // Due notes are covered by dueThrough until the head passes them, when their lap's walk
            // drops the expired records and clears the notes; the bound covers the rest.
            bound.compareAndSet(scanning, earliestAhead);
        }
        return isDue;
    }

    /** Passes over the segment table so far. For tests and diagnostics. */
    long passes()
    {
        return passes.get();
    }

    /** The bound: at most the earliest noted expiry not yet due; 0 after a pass was overtaken. For tests. */
    long bound()
    {
        final long current = bound.get();
        return current < 0 ? DIRTY : current;
    }
}
