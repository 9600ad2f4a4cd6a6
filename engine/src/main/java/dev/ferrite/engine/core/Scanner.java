package dev.ferrite.engine.core;

import dev.ferrite.engine.EntryVisitor;
import dev.ferrite.engine.log.SegmentLog;
import dev.ferrite.engine.log.SegmentTable;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

import static dev.ferrite.engine.log.RecordDescriptor.*;

/**
 * A weakly consistent scan over the index: slot by slot, each chain is copied out (newest version
 * of each key only) while validating every record against its segment state, then handed to the
 * visitor. It never writes shared memory and never blocks a writer. An entry present for the
 * whole scan is visited exactly once; one added or removed during the scan may or may not be.
 *
 * <p>A routing-slot filter compares the slot stored in each record header, so streaming one of
 * 16384 slots costs a walk of the index and no hashing.
 */
final class Scanner
{
    static final int ANY_SLOT = -1;

    private final Store store;
    private final SegmentLog log;
    private final ExpandableArrayBuffer chainCopy = new ExpandableArrayBuffer(4096);
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private int[] entryOffsets = new int[16];
    private int entryCount;

    Scanner(final Store store)
    {
        this.store = store;
        this.log = store.log;
    }

    /**
     * Visits the live entries of index slots {@code [fromIndexSlot, toIndexSlot)}.
     *
     * @return the index slot to resume from: {@code toIndexSlot} when done, or the slot after the
     * one whose entry made the visitor return false.
     */
    static long scan(
        final Store store, final long fromIndexSlot, final long toIndexSlot, final int routingSlot, final EntryVisitor visitor)
    {
        return new Scanner(store).run(fromIndexSlot, Math.min(toIndexSlot, store.index.slotCount()), routingSlot, visitor);
    }

    private long run(final long fromIndexSlot, final long toIndexSlot, final int routingSlot, final EntryVisitor visitor)
    {
        for (int slot = (int)fromIndexSlot; slot < toIndexSlot; slot++)
        {
            final OperationContext context = store.context();
            final int registrySlot = store.enter(context);
            try
            {
                while (!copyChain(slot, routingSlot))
                {
                    Thread.onSpinWait();
                }
            }
            finally
            {
                store.exit(registrySlot);
            }
            // Visit outside the operation, so a slow visitor never holds up close or reclaim.
            view.wrap(chainCopy, 0, chainCopy.capacity());
            for (int i = 0; i < entryCount; i++)
            {
                final int offset = entryOffsets[i];
                final long lengths = view.getLong(offset + LENGTHS_OFFSET);
                final int keyLength = keyLength(lengths);
                if (!visitor.visit(view, offset + HEADER_LENGTH, keyLength,
                    view, offset + HEADER_LENGTH + keyLength, valueLength(lengths),
                    view.getLong(offset + VERSION_OFFSET), view.getLong(offset + EXPIRES_AT_OFFSET)))
                {
                    return slot + 1L; // the rest of this chain is skipped: stopping is final
                }
            }
        }
        return toIndexSlot;
    }

    /**
     * Copies the live newest-version records of one chain into {@link #chainCopy}.
     *
     * @return false when a record was reclaimed while being read and the chain must be copied again.
     */
    private boolean copyChain(final int slot, final int routingSlot)
    {
        entryCount = 0;
        int used = 0;
        final long head = store.index.headAcquire(slot);
        final long now = store.clock.time();
        long address = head;
        while (address != 0)
        {
            final long segment = log.logicalSegment(address);
            final int physical = log.physical(segment);
            final SegmentTable table = log.table();
            final long state = table.stateAcquire(physical);
            if (SegmentTable.logicalSegmentOf(state) != segment)
            {
                if (store.index.headAcquire(slot) != head)
                {
                    return false;
                }
                break; // reclaimed: the rest of the chain is older and gone
            }
            final UnsafeBuffer buffer = log.buffer(segment);
            final int offset = log.offset(address);
            final long lengths = buffer.getLong(offset);
            final int length = recordLength(keyLength(lengths), valueLength(lengths));
            if (offset + (long)length > log.segmentBytes() || (flags(lengths) & FLAG_FILLER) != 0)
            {
                return false;
            }
            chainCopy.checkLimit(used + length);
            chainCopy.putBytes(used, buffer, offset, length);
            UnsafeApi.loadLoadFence(); // the copy happens before the state re-read
            if (SegmentTable.logicalSegmentOf(table.stateAcquire(physical)) != segment)
            {
                if (store.index.headAcquire(slot) != head)
                {
                    return false;
                }
                break;
            }
            final long previous = chainCopy.getLong(used + PREVIOUS_OFFSET);
            if (!shadowed(used, keyLength(lengths)))
            {
                // Newest version of this key in the chain: keep it (tombstones and expired ones shadow, not show).
                if (entryCount == entryOffsets.length)
                {
                    entryOffsets = java.util.Arrays.copyOf(entryOffsets, entryCount * 2);
                }
                entryOffsets[entryCount++] = used;
                used += length;
            }
            if (previous >= address)
            {
                return false;
            }
            address = previous;
        }
        // Drop shadowing-only records and apply the filter, compacting the offsets.
        int kept = 0;
        for (int i = 0; i < entryCount; i++)
        {
            final int offset = entryOffsets[i];
            final long lengths = chainCopy.getLong(offset);
            final long expiresAt = chainCopy.getLong(offset + EXPIRES_AT_OFFSET);
            final boolean live = (flags(lengths) & FLAG_TOMBSTONE) == 0 && (expiresAt == 0 || expiresAt > now);
            if (live && (routingSlot == ANY_SLOT || routingSlot(lengths) == routingSlot))
            {
                entryOffsets[kept++] = offset;
            }
        }
        entryCount = kept;
        return true;
    }

    /** True when a newer record of the same key was already copied from this chain. */
    private boolean shadowed(final int candidateOffset, final int keyLength)
    {
        for (int i = 0; i < entryCount; i++)
        {
            final int offset = entryOffsets[i];
            final long lengths = chainCopy.getLong(offset);
            if (keyLength(lengths) == keyLength &&
                Bytes.equal(chainCopy, offset + HEADER_LENGTH, chainCopy, candidateOffset + HEADER_LENGTH, keyLength))
            {
                return true;
            }
        }
        return false;
    }
}
