package dev.ferrite.engine.core;

import dev.ferrite.engine.Status;
import dev.ferrite.engine.hash.KeyHash;
import dev.ferrite.engine.log.SegmentLog;
import dev.ferrite.engine.log.SegmentTable;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.atomic.AtomicLong;

import static dev.ferrite.engine.log.RecordDescriptor.*;
import static dev.ferrite.engine.log.SegmentTable.PHASE_OPEN;
import static dev.ferrite.engine.log.SegmentTable.PHASE_RECLAIMING;

/**
 * Gives space back by reclaiming the oldest segment of the log, and decides which of its records
 * survive: the eviction policy.
 *
 * <h2>Policy: CLOCK over the log, plus a frequency-gated second chance</h2>
 * A log is a FIFO. When the oldest segment is reclaimed, each record in it that is still the
 * newest version of its key and not expired is either copied to the tail (kept) or dropped
 * (evicted). It is kept when it was read since it was written or last moved (its reference bit,
 * set by the first hit: CLOCK, which tracks LRU closely), or when the TinyLFU frequency sketch says
 * its key was used at least {@link #KEEP_FREQUENCY} times recently, as long as such
 * frequency-only copies stay under {@link #FREQUENCY_KEEP_PERCENT}% of the bytes walked. The second
 * rule protects a popular working set from scans and loops that defeat LRU. Moving a record
 * clears its reference bit, so a record that stops being read leaves after one more lap. With
 * eviction off, every live record is copied and a write that cannot fit gets {@link Status#FULL}.
 *
 * <p>Measured on the traces in {@code shared/traces} (see the bench module's hit-ratio report):
 * above LRU on average, below W-TinyLFU. A single FIFO cannot drop a one-hit wonder before it
 * has aged through the whole cache; S3-FIFO's small queue or W-TinyLFU's window would, and
 * need a second log (see the notes in the bench report).
 *
 * <p>Eviction happens only under pressure: while the live data (newest versions) stays under
 * {@link #PRESSURE_PERCENT}% of the usable log, reclaim copies every live record, so a log that
 * wraps because of overwrites does not push out live keys.
 *
 * <h2>Concurrency</h2>
 * <pre>
 *   OPEN(L) --CAS--> RECLAIMING(L) --records claimed by CAS on the cursor--> OPEN(L + n)
 * </pre>
 * Any thread that needs space helps: it claims the next record by CAS on the segment's cursor
 * (tagged with the segment number, so a late thread from an earlier lap cannot move it) and
 * processes it. The thread that finds the cursor at the end finishes the reclaim, with two waits
 * that make reclaim (not reads) depend on other threads:
 * <ul>
 *   <li>A writer announced inside the segment (it allocated there and stalled for a whole lap): the
 *   memory cannot be reused under it, whatever the eviction setting; reclaimHead answers
 *   WRITER_INSIDE.</li>
 *   <li>With eviction on, a helper still holding a claimed record (the reclaimed-bytes count is
 *   short): finishing without it would lose that record without a count, so reclaimHead answers
 *   WRITER_INSIDE. With eviction off, the finisher instead walks the segment again and relocates
 *   every record that is still current, so it never waits for a helper.</li>
 * </ul>
 * On WRITER_INSIDE the write that needs space yields for at most
 * {@code SegmentLog.MAX_RECLAIM_WAIT_NS} and then gets FULL: no wait is unbounded, but a
 * descheduled thread can make another thread's write fail. Copies are validated against the source
 * segment's state before they are linked, so a late copy of reused memory is never published.
 *
 * <p>Known limits. (1) With eviction off, a helper descheduled between that validation and its
 * index CAS, while the finisher relocates its record, the segment is reused, and a remove unlinks
 * the chain back to the head the helper read, would link a copy of the removed value (ABA on the
 * slot; needs all four in one stall). (2) A record dropped by reclaim stays readable until its
 * segment is reused; a write or touch that finds it in that window keeps the key alive after its
 * eviction was counted, so {@code entries} can run a few below the truth (never above it).
 */
final class Reclaimer implements SegmentLog.SpaceReclaimer
{
    /** A record not read since it was written or moved is kept only if its key was used this often recently. */
    static final int KEEP_FREQUENCY = 5;
    /** Frequency-kept copies stay under this share of the bytes walked, so every reclaim frees space. */
    static final int FREQUENCY_KEEP_PERCENT = 75;

    private final Store store;
    private final SegmentLog log;
    private final SegmentTable table;
    private final boolean evictionEnabled;
    private final int segmentBytes;
    /** Live bytes above which reclaim evicts; below it, reclaim only compacts. */
    private final long pressureBytes;
    static final int PRESSURE_PERCENT = 85;
    /** Bytes of unreachable records in the log; tracked only with eviction off, to know when compaction helps. */
    private final AtomicLong garbageBytes = new AtomicLong();

    Reclaimer(final Store store)
    {
        this.store = store;
        this.log = store.log;
        this.table = log.table();
        this.evictionEnabled = store.config.evictionEnabled();
        this.segmentBytes = log.segmentBytes();
        final long usableBytes = (long)(log.segmentCount() - dev.ferrite.engine.CacheConfig.RESERVED_SEGMENTS - 1) * segmentBytes;
        this.pressureBytes = usableBytes / 100 * PRESSURE_PERCENT;
    }

    void superseded(final long record)
    {
        if (!evictionEnabled)
        {
            final UnsafeBuffer buffer = log.buffer(log.logicalSegment(record));
            garbageBytes.getAndAdd(coveredLength(buffer.getLong(log.offset(record))));
        }
    }

    void abandoned(final long record)
    {
        superseded(record);
    }

    @Override
    public int reclaimHead(final int registrySlot)
    {
        final long head = log.headSegment();
        final int physical = log.physical(head);
        final long state = table.stateAcquire(physical);
        if (SegmentTable.logicalSegmentOf(state) != head)
        {
            log.advanceHead(head); // finished by another thread that has not moved the head yet
            return RECLAIMED;
        }
        if (SegmentTable.phaseOf(state) == PHASE_OPEN)
        {
            if (!evictionEnabled && garbageBytes.get() <= 0)
            {
                return NOTHING_TO_GAIN; // compaction would move live data without freeing a byte
            }
            table.stateCompareAndSet(physical, state, SegmentTable.state(head, PHASE_RECLAIMING));
        }
        UnsafeApi.fullFence(); // publish RECLAIMING before scanning for writers (Dekker with allocate)
        if (store.registry.anyWriterBelow(log.segmentStart(head + 1)))
        {
            return WRITER_INSIDE; // a writer stalled inside this segment for a whole lap
        }

        final UnsafeBuffer buffer = log.buffer(head);
        final long tag = (head & 0xFFFF_FFFFL) << 32;
        final OperationContext context = store.context();
        final long[] copiedAndWalked = context.reclaimTally;
        copiedAndWalked[0] = 0;
        copiedAndWalked[1] = 0;
        copiedAndWalked[2] = 0;
        // Evict only under pressure: while live data is well below the budget, a wrapping log
        // just compacts (copies every live record), so overwrites never push out live keys.
        copiedAndWalked[3] = store.liveBytes() > pressureBytes ? 1 : 0;
        while (true)
        {
            final long cursor = table.cursorVolatile(physical);
            if ((cursor & 0xFFFF_FFFF_0000_0000L) != tag)
            {
                table.cursorCompareAndSet(physical, cursor, tag); // first helper of this lap starts it at 0
                continue;
            }
            final int offset = (int)cursor;
            if (offset >= segmentBytes)
            {
                break;
            }
            if (table.stateAcquire(physical) != SegmentTable.state(head, PHASE_RECLAIMING))
            {
                return RECLAIMED;
            }
            final long lengths = buffer.getLong(offset);
            int covered = lengths == 0 ? segmentBytes - offset : coveredLength(lengths);
            if (covered <= 0 || covered > segmentBytes - offset)
            {
                covered = segmentBytes - offset;
            }
            if (!table.cursorCompareAndSet(physical, cursor, cursor + covered))
            {
                continue;
            }
            if (lengths != 0 && (flags(lengths) & FLAG_FILLER) == 0)
            {
                if (!processRecord(registrySlot, context, head, offset, lengths, copiedAndWalked, true))
                {
                    return NOTHING_TO_GAIN;
                }
            }
            table.addReclaimedBytes(physical, tag, covered);
        }

        if (evictionEnabled && table.reclaimedBytesVolatile(physical) != (tag | segmentBytes))
        {
            // Another thread still holds a claimed record. Finishing without it would drop that
            // record uncounted (or lose its second chance); the caller yields and tries again.
            return table.stateAcquire(physical) == SegmentTable.state(head, PHASE_RECLAIMING) ? WRITER_INSIDE : RECLAIMED;
        }

        if (!evictionEnabled)
        {
            // Another helper may still hold a claimed record: walk again so nothing live is lost.
            for (int offset = 0; offset < segmentBytes; )
            {
                final long lengths = buffer.getLong(offset);
                if (lengths == 0)
                {
                    break;
                }
                int covered = coveredLength(lengths);
                if (covered <= 0 || covered > segmentBytes - offset)
                {
                    break;
                }
                if ((flags(lengths) & FLAG_FILLER) == 0 &&
                    !processRecord(registrySlot, context, head, offset, lengths, copiedAndWalked, false))
                {
                    return NOTHING_TO_GAIN;
                }
                offset += covered;
            }
        }

        table.stateCompareAndSet(physical, SegmentTable.state(head, PHASE_RECLAIMING),
            SegmentTable.state(head + log.segmentCount(), PHASE_OPEN));
        log.advanceHead(head);
        return RECLAIMED;
    }

    /**
     * Keeps or drops one record of the segment being reclaimed.
     *
     * @return false when a record that must be kept could not be copied (eviction off, no space).
     */
    private boolean processRecord(
        final int registrySlot,
        final OperationContext context,
        final long segment,
        final int offset,
        final long lengths,
        final long[] copiedAndWalked,
        final boolean countStatistics)
    {
        final UnsafeBuffer buffer = log.buffer(segment);
        final int keyLength = keyLength(lengths);
        final int covered = coveredLength(lengths);
        if (offset + HEADER_LENGTH + (long)keyLength > segmentBytes)
        {
            return true;
        }
        final long address = log.segmentStart(segment) + offset;
        final long hash = KeyHash.hash(buffer, offset + HEADER_LENGTH, keyLength, store.hashSeed());
        final int slot = store.index.slotFor(hash);
        int attempts = 0;
        while (true)
        {
            final long head = store.index.headAcquire(slot);
            final long found = store.findKey(context, slot, head, buffer, offset + HEADER_LENGTH, keyLength);
            if (!log.isCurrent(segment))
            {
                return true; // finished by another helper
            }
            if (found == Store.RESTART)
            {
                continue;
            }
            if (found != address || (flags(lengths) & FLAG_TOMBSTONE) != 0)
            {
                if (found == address && countStatistics)
                {
                    Counters.add(context.counters, Counters.LIVE_BYTES, -covered); // a newest-version tombstone goes
                }
                // Superseded, never linked, or a tombstone (all it hides is older, so already gone):
                // each was counted as garbage when it became unreachable.
                copiedAndWalked[1] += covered;
                if (countStatistics && !evictionEnabled)
                {
                    // Freed when this segment is finalized: subtract now, whichever helper finalizes.
                    garbageBytes.getAndAdd(-covered);
                }
                return true;
            }
            final long expiresAt = context.foundExpiresAtMillis;
            final long version = context.foundVersion;
            if (expiresAt != 0 && expiresAt <= store.clock.time())
            {
                return dropLive(context, version, covered, Counters.EXPIRATIONS, copiedAndWalked, countStatistics);
            }
            final boolean keep = !evictionEnabled || copiedAndWalked[3] == 0 || (buffer.getLong(offset) & REFERENCED_BIT) != 0 ||
                ((copiedAndWalked[0] + covered) * 100 <= (copiedAndWalked[1] + covered) * FREQUENCY_KEEP_PERCENT &&
                store.sketch.frequency(hash) >= KEEP_FREQUENCY);
            if (!keep)
            {
                return dropLive(context, version, covered, Counters.EVICTIONS, copiedAndWalked, countStatistics);
            }
            final long copy = copyRecord(registrySlot, context, slot, head, address, expiresAt, true);
            if (copy > 0)
            {
                Counters.increment(context.counters, Counters.RELOCATIONS);
                copiedAndWalked[0] += covered;
                copiedAndWalked[1] += covered;
                return true;
            }
            if (copy == Status.FULL)
            {
                if (!evictionEnabled)
                {
                    return false;
                }
                return dropLive(context, version, covered, Counters.EVICTIONS, copiedAndWalked, countStatistics);
            }
            if (evictionEnabled && ++attempts > 8)
            {
                // Contended: let it go, as an eviction.
                return dropLive(context, version, covered, Counters.EVICTIONS, copiedAndWalked, countStatistics);
            }
        }
    }

    /** Lets a live record go (evicted or expired): its version retires, and it stops counting. */
    private boolean dropLive(
        final OperationContext context,
        final long version,
        final int covered,
        final int reason,
        final long[] copiedAndWalked,
        final boolean countStatistics)
    {
        store.retireVersion(version);
        if (countStatistics)
        {
            Counters.add(context.counters, Counters.LIVE_BYTES, -covered);
            Counters.increment(context.counters, reason);
            Counters.add(context.counters, Counters.ENTRIES, -1);
        }
        copiedAndWalked[1] += covered;
        return true;
    }

    /**
     * Copies a record to the tail with a new expiry and links the copy in place of the chain head
     * {@code head}, which must still be current. Used by relocation and touch.
     *
     * @return the copy's address; 0 when the chain changed (the caller walks again); or
     * {@link Status#FULL}.
     */
    long copyRecord(
        final int registrySlot,
        final OperationContext context,
        final int slot,
        final long head,
        final long source,
        final long expiresAtMillis,
        final boolean relocation)
    {
        final long sourceSegment = log.logicalSegment(source);
        final UnsafeBuffer sourceBuffer = log.buffer(sourceSegment);
        final int sourceOffset = log.offset(source);
        final long lengths = context.foundLengthsWord;
        final long previous = source == head ? context.foundPrevious : head;
        final int length = recordLength(keyLength(lengths), valueLength(lengths));
        if (sourceOffset + (long)length > segmentBytes)
        {
            return 0;
        }
        final long copy = log.allocate(registrySlot, length, relocation, relocation ? null : this);
        if (copy < 0)
        {
            return Status.FULL;
        }
        final UnsafeBuffer buffer = log.buffer(log.logicalSegment(copy));
        final int offset = log.offset(copy);
        buffer.putBytes(offset, sourceBuffer, sourceOffset, length);
        // The first word decides how far a segment walk steps. Rewrite it before anything can abandon
        // the copy: if the source was reused while it was copied, the copied word belongs to another
        // record, and a walk stepping by it would jump over the records allocated after this copy.
        // Those were then never reclaimed: live keys lost without a count (the entries statistic
        // drifted up by half with eviction on), and with eviction off, data loss.
        buffer.putLong(offset + LENGTHS_OFFSET, lengths & ~REFERENCED_BIT);
        UnsafeApi.loadLoadFence(); // the copy's reads happen before the state re-read
        if (!log.isCurrent(sourceSegment) || copy < head)
        {
            abandoned(copy);
            return 0;
        }
        buffer.putLong(offset + PREVIOUS_OFFSET, previous);
        buffer.putLong(offset + EXPIRES_AT_OFFSET, expiresAtMillis);
        if (store.index.compareAndSetHead(slot, head, copy))
        {
            if (!relocation)
            {
                superseded(source);
            }
            return copy;
        }
        abandoned(copy);
        return 0;
    }
}
