package dev.ferrite.engine.log;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Slots in which each operation in flight announces itself, so that reclaim never reuses a
 * segment a writer is still copying into, and {@code close()} never frees memory an operation
 * still touches. Kept on the heap (a fixed 16 KiB or so, not growing with entries) so that it
 * outlives the off-heap memory it guards.
 *
 * <pre>
 *  slot value:  0                  free
 *               IN_OPERATION       an operation is running and writes nothing to the log
 *               logical address    a writer may write at or after that address
 * </pre>
 *
 * <p>An operation claims a free slot with one CAS, starting from its thread's home slot, so
 * threads rarely share a line (slots are 64 bytes apart). Announce-then-check on the writer side
 * and publish-then-scan on the reclaim side are the two halves of a Dekker handshake: both put a
 * full fence between their store and their load, so at least one sees the other.
 *
 * <p>Progress: {@link #claim} is lock-free and wait-free in practice: it spins only if every one of
 * at least {@code 8 x processors} slots (minimum 256) is held by an operation at the same instant.
 */
public final class OperationRegistry
{
    public static final long FREE = 0;
    public static final long IN_OPERATION = Long.MAX_VALUE;
    private static final int STRIDE = 8;

    private final AtomicLongArray slots;
    private final int slotMask;

    public OperationRegistry(final int processors)
    {
        final int slotCount = Math.max(256, Integer.highestOneBit(Math.max(1, processors) * 8) << 1);
        this.slots = new AtomicLongArray(slotCount * STRIDE);
        this.slotMask = slotCount - 1;
    }

    /** Claims a slot for one operation, starting at the caller's home slot. */
    public int claim(final int homeSlot)
    {
        int slot = homeSlot & slotMask;
        while (true)
        {
            final int index = slot * STRIDE;
            if (slots.get(index) == FREE && slots.compareAndSet(index, FREE, IN_OPERATION))
            {
                return slot;
            }
            slot = (slot + 1) & slotMask;
        }
    }

    /** Announces that this operation may write at or after {@code logicalAddress}; volatile store, a full fence. */
    public void announceWrite(final int slot, final long logicalAddress)
    {
        slots.set(slot * STRIDE, logicalAddress);
    }

    public void release(final int slot)
    {
        slots.lazySet(slot * STRIDE, FREE);
    }

    /** True when some writer announced an address below {@code endAddressExclusive}. */
    public boolean anyWriterBelow(final long endAddressExclusive)
    {
        for (int i = 0, n = slots.length(); i < n; i += STRIDE)
        {
            final long value = slots.get(i);
            if (value != FREE && value != IN_OPERATION && value < endAddressExclusive)
            {
                return true;
            }
        }
        return false;
    }

    /** True when any operation is in flight. Used by close, which may wait. */
    public boolean anyInFlight()
    {
        for (int i = 0, n = slots.length(); i < n; i += STRIDE)
        {
            if (slots.get(i) != FREE)
            {
                return true;
            }
        }
        return false;
    }
}
