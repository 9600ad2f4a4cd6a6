package dev.ferrite.engine.core;

import dev.ferrite.engine.hash.KeyHash;
import dev.ferrite.engine.hash.RoutingSlot;
import dev.ferrite.engine.log.OperationRegistry;
import dev.ferrite.engine.log.SegmentLog;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

import static dev.ferrite.engine.log.RecordDescriptor.*;

/**
 * Makes the index CAS of a writer that reclaim has passed fail, whenever that writer resumes.
 *
 * <p>Every linker (put, remove, relocation) CASes its slot's head against the value it loaded
 * before it prepared its record, and a slot's head only ever moves to newer addresses (see
 * {@code Store}). So one CAS attempt on the slot, from a head read after the writer loaded its
 * own, makes the writer's CAS fail for good: if it succeeds the head is new, and if it fails
 * another write already moved it. The record such a fence links is a tombstone of a key that is
 * never looked up in that slot (the empty key, homed elsewhere; in the empty key's own slot a
 * one-byte key homed elsewhere), so no lookup ever matches it and no walk ever keeps it: it is
 * garbage from the start.
 *
 * <pre>
 *   writer:   announce LINKING (full fence) -> Store.linkable (segment still OPEN?) -> index CAS
 *   reclaim:  state RECLAIMING (full fence) -> scan for LINKING writers -> fence their slots -> walk
 *   finisher that gave up waiting for a settling helper:
 *             mark finishing (full fence) -> scan for LINKING writers -> fence their slots -> state CAS
 *   helper (relocation; a touch does not read the mark):
 *             announce LINKING (full fence) -> finishing mark or segment gone? -> index CAS
 * </pre>
 * Either the writer's check sees the reclaim and it writes again elsewhere, or the reclaim sees the
 * writer and its fence makes the late CAS fail. Fences are written only when a reclaim passes a
 * stalled writer (forced reclaim), or gives up waiting for a helper that may still link a copy:
 * rare, and 40 bytes each.
 *
 * <p>Lock-free: a fence is one allocation (it may use the reserved segments and never reclaims) and
 * one CAS. Without room for it, or in a store of a single index slot (every key is homed there, so
 * no fence key exists), the writer stays unfenced, as before fences existed (Reclaimer, known
 * limits (1) and (3)).
 */
final class LinkFences
{
    private final Store store;
    private final SegmentLog log;
    private final OperationRegistry registry;
    private final Reclaimer reclaimer;
    private final int emptyKeySlot;
    /** A one-byte key homed outside the empty key's slot, or -1 when every key shares one slot. */
    private final int fenceByteForEmptyKeySlot;
    private final UnsafeBuffer oneByte = new UnsafeBuffer(new byte[1]);

    LinkFences(final Store store, final Reclaimer reclaimer)
    {
        this.store = store;
        this.log = store.log;
        this.registry = store.registry;
        this.reclaimer = reclaimer;
        this.emptyKeySlot = store.index.slotFor(KeyHash.hash(oneByte, 0, 0, store.hashSeed()));
        int fenceByte = -1;
        for (int b = 0; b < 256 && fenceByte < 0; b++)
        {
            oneByte.putByte(0, (byte)b);
            if (store.index.slotFor(KeyHash.hash(oneByte, 0, 1, store.hashSeed())) != emptyKeySlot)
            {
                fenceByte = b;
            }
        }
        this.fenceByteForEmptyKeySlot = fenceByte;
    }

    /**
     * Fences the slot of every writer announced LINKING, other than the caller: inside
     * {@code segment} only, or anywhere when {@code segment} is negative.
     */
    void fenceLinkingWriters(final int registrySlot, final long segment)
    {
        for (int s = registry.nextAnnounced(0); s >= 0; s = registry.nextAnnounced(s + 1))
        {
            final long value = registry.announced(s);
            if (s == registrySlot || !OperationRegistry.isAddress(value) || (value & OperationRegistry.LINKING) == 0)
            {
                continue;
            }
            final long record = OperationRegistry.addressOf(value);
            final long recordSegment = log.logicalSegment(record);
            if (segment >= 0 && recordSegment != segment)
            {
                continue;
            }
            final UnsafeBuffer buffer = log.buffer(recordSegment);
            final int offset = log.offset(record);
            final int keyLength = keyLength(buffer.getLongVolatile(offset + LENGTHS_OFFSET));
            if (offset + HEADER_LENGTH + (long)keyLength > log.segmentBytes())
            {
                continue; // not a record: memory reused since the scan (then the writer has gone)
            }
            final long hash = KeyHash.hash(buffer, offset + HEADER_LENGTH, keyLength, store.hashSeed());
            UnsafeApi.loadLoadFence(); // the key is read before the segment's state is checked
            if (log.isCurrent(recordSegment))
            {
                fenceSlot(registrySlot, store.index.slotFor(hash), record);
            }
        }
    }

    /**
     * Links a fence into {@code slot} with one CAS attempt; see the class note. Not when the head is
     * already at or above {@code record}: every linker links only over a head older than its record
     * (put and remove allocate again otherwise, a copy is abandoned), so its CAS fails anyway. That
     * also spares the reserve a fence per thread forcing the same segment, and per retry.
     */
    void fenceSlot(final int registrySlot, final int slot, final long record)
    {
        if (store.index.headAcquire(slot) >= record)
        {
            return;
        }
        final int keyLength = slot == emptyKeySlot ? 1 : 0;
        if (keyLength == 1 && fenceByteForEmptyKeySlot < 0)
        {
            return; // a store with one index slot: no key is homed elsewhere
        }
        final long head = store.index.headAcquire(slot);
        final long fence = log.allocate(registrySlot, recordLength(keyLength, 0), SegmentLog.RELOCATION, null);
        if (fence < 0)
        {
            return;
        }
        try
        {
            final UnsafeBuffer buffer = log.buffer(log.logicalSegment(fence));
            final int offset = log.offset(fence);
            if (keyLength == 1)
            {
                buffer.putByte(offset + HEADER_LENGTH, (byte)fenceByteForEmptyKeySlot);
            }
            final int routingSlot = RoutingSlot.slot(buffer, offset + HEADER_LENGTH, keyLength);
            buffer.putLong(offset + LENGTHS_OFFSET, lengthsWord(keyLength, routingSlot, 0, FLAG_TOMBSTONE));
            registry.announceHeaderWritten(registrySlot, fence);
            buffer.putLong(offset + PREVIOUS_OFFSET, head);
            buffer.putLong(offset + VERSION_OFFSET, 0);
            buffer.putLong(offset + EXPIRES_AT_OFFSET, 0);
            store.index.compareAndSetHead(slot, head, fence); // success or failure, the head has moved on
            reclaimer.abandoned(fence); // garbage whether linked or not
        }
        finally
        {
            registry.withdrawWrite(registrySlot);
        }
    }
}
