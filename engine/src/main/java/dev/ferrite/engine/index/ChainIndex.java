package dev.ferrite.engine.index;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The hash index: an off-heap array of 8-byte slots, each holding the logical address of the
 * newest record of a chain (0 when empty). Every record carries the address of the next-older
 * record of its chain, so a slot heads a list that lives in the log itself (FASTER's design, with
 * one chain per slot instead of per tag).
 *
 * <pre>
 *   slot i:  +---------------------------------------------------------------+
 *            | logical address of the chain's newest record, 0 = empty       |
 *            +---------------------------------------------------------------+
 * </pre>
 *
 * Every change to a chain is one CAS on its slot: that CAS is the linearization point of put,
 * remove and relocation. Chains are strictly decreasing in address (a writer whose record is older
 * than the head it would replace allocates again), so the first evicted record ends a chain.
 */
public final class ChainIndex
{
    private final UnsafeBuffer slots;
    private final long slotCount;

    public ChainIndex(final UnsafeBuffer slots)
    {
        this.slots = slots;
        this.slotCount = slots.capacity() / 8;
    }

    public long slotCount()
    {
        return slotCount;
    }

    /** Maps a hash to a slot by multiply-shift (Lemire), so the slot count need not be a power of two. */
    public int slotFor(final long hash)
    {
        return (int)(((hash >>> 32) * slotCount) >>> 32);
    }

    /** Acquire load; pairs with the release in {@link #compareAndSetHead}, so a reader sees the record's bytes. */
    public long headAcquire(final int slot)
    {
        return slots.getLongVolatile(slot << 3);
    }

    /** Plain load, for warming the cache only: nothing may be decided on what it returns. */
    public long headPlain(final int slot)
    {
        return slots.getLong(slot << 3);
    }

    /** Full fence; the record's bytes, written before, are visible to anyone who reads the new head. */
    public boolean compareAndSetHead(final int slot, final long expected, final long update)
    {
        return slots.compareAndSetLong(slot << 3, expected, update);
    }
}
