package dev.ferrite.engine.log;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Slots in which each operation in flight announces itself, so that reclaim never reuses a
 * segment a writer is still copying into, and {@code close()} never frees memory an operation
 * still touches. Kept on the heap (16 KiB per block of 256 slots, not growing with entries) so that
 * it outlives the off-heap memory it guards.
 *
 * <pre>
 *  slot value:  0                      free
 *               IN_OPERATION           an operation is running and writes nothing to the log
 *               logical address        a writer is allocating there, or owns a record whose first
 *                                      word it has not written yet: at that address, or, when it
 *                                      moved the tail on, at the start of a later segment (it then
 *                                      also writes the filler that ends this one)
 *               address | HEADER_WRITTEN   a writer owns the record at that address and has
 *                                      written its first word: a segment walk can step over it
 *                                      (between copies of a relocation run, that record is the
 *                                      filler over the run's room, see core.RelocationRun)
 *               address | HEADER_WRITTEN | LINKING   the record is complete and its writer is about
 *                                      to check it may link it and CAS it into the index (or has)
 *
 *  move target (the slot's second word, read only beside an address without HEADER_WRITTEN):
 *               0                      the allocation stays in the announced address's segment
 *               segment start          the allocation moves the tail on: if its CAS wins, the record
 *                                      starts there, and the announced address is where it writes
 *                                      the filler that ends the segment it leaves
 * </pre>
 *
 * <p>Reclaim reads both words to know where a record whose first word is not written may start, so
 * that it can walk its segment up to there and find the records behind it another way (see
 * {@code StalledWriters}). The target is stored before the tail CAS, which publishes it: a reclaim
 * only ever looks at segments the tail has left.
 *
 * <p>A writer writes only at or after the address its slot names, and once the slot carries
 * HEADER_WRITTEN only inside that record (besides in-place flag CASes on other records' first
 * words, each validated against a header read while its segment was current). Its announcement only moves forward, to the tail, so a segment its slot stops naming it
 * never touches again. Segments are reclaimed in order, so a stalled writer would block the reclaim
 * of its segment; instead, a forced reclaim goes on without it and quarantines the memory (see
 * {@code Reclaimer}): it steps over a record whose first word is written, and stops at one whose
 * first word is not, finding the records behind it through the index.
 *
 * <p>An operation claims a free slot with one CAS, starting from its thread's home slot, so
 * threads rarely share a line (slots are 64 bytes apart). Announce-then-check on the writer side
 * and publish-then-scan on the reclaim side are the two halves of a Dekker handshake: both put a
 * full fence between their store and their load, so at least one sees the other.
 *
 * <p>The slots come in blocks of at least {@code 8 x processors} (minimum 256). The first block is
 * fixed; when an operation finds every one of its slots held, it goes on to overflow blocks, linked
 * one after another by CAS and never unlinked, and adds one if all of those are held too. So more
 * threads in operations at once than a block holds cost a 16 KiB block each time the count reaches
 * a new high (and a longer claim while it lasts), never a wait: before overflow blocks (found by
 * review), 256 operations in flight at once, or 256 threads stalled inside operations, made every
 * other operation of the store spin in {@link #claim} until one of them left. An overflow slot's
 * number is {@code block x blockSlots + offset}; scans walk every block, in order.
 *
 * <p>Progress: {@link #claim} is wait-free while fewer operations are in flight than the first
 * block holds (at most one pass over it), and lock-free beyond: a CAS it loses is one another
 * operation won, and it always ends by linking a block of its own if every slot it saw was held.
 * Every other method is wait-free.
 */
public final class OperationRegistry
{
    public static final long FREE = 0;
    public static final long IN_OPERATION = Long.MAX_VALUE;
    /** Low bit of an announced address (addresses are 8-aligned): the record's first word is written. */
    public static final long HEADER_WRITTEN = 1;
    /** With HEADER_WRITTEN: the record is complete, and its writer checks and links it next. */
    public static final long LINKING = 2;
    private static final int STRIDE = 8;
    /** Index of a slot's second word, its move target, within the slot's stride. */
    private static final int TARGET_OFFSET = 1;

    /**
     * The first block, where nearly every claim lands. A claim makes one pass over it, so one that
     * keeps missing slots freed behind it can go on to an overflow block (even link one) while a
     * slot here is free: memory only, bounded by the operations in flight.
     */
    private final AtomicLongArray slots;
    private final int blockSlots;
    private final int blockShift;
    private final int slotMask;
    /** Overflow blocks 1, 2, ...; null until more operations than blockSlots were in flight at once. */
    private volatile Block overflow;

    private static final VarHandle OVERFLOW = blockHandle(MethodHandles.lookup(), OperationRegistry.class, "overflow");

    /** An overflow block: as many slots as the first, and the block after it. */
    private static final class Block
    {
        private static final VarHandle NEXT = blockHandle(MethodHandles.lookup(), Block.class, "next");

        final AtomicLongArray slots;
        volatile Block next;

        Block(final int blockSlots)
        {
            this.slots = new AtomicLongArray(blockSlots * STRIDE);
        }
    }

    /** The handle of a field of type {@link Block}, for its CAS. */
    private static VarHandle blockHandle(final MethodHandles.Lookup lookup, final Class<?> owner, final String field)
    {
        try
        {
            return lookup.findVarHandle(owner, field, Block.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    public OperationRegistry(final int processors)
    {
        this.blockSlots = Math.max(256, Integer.highestOneBit(Math.max(1, processors) * 8) << 1);
        this.blockShift = Integer.numberOfTrailingZeros(blockSlots);
        this.slots = new AtomicLongArray(blockSlots * STRIDE);
        this.slotMask = blockSlots - 1;
    }

    /** Slots per block; slot numbers at or above it are in overflow blocks. */
    public int blockSlots()
    {
        return blockSlots;
    }

    /**
     * Claims a slot for one operation: the first free one from the caller's home slot round the
     * first block, else the first free one in the overflow blocks, linking a new block when all of
     * those are held too.
     */
    public int claim(final int homeSlot)
    {
        final int home = homeSlot & slotMask;
        final int slot = claimIn(slots, home);
        return slot >= 0 ? slot : claimOverflow(home);
    }

    /** The offset of a slot claimed in {@code block}, trying from {@code home} round it; -1 when all were held. */
    private int claimIn(final AtomicLongArray block, final int home)
    {
        for (int i = 0; i < blockSlots; i++)
        {
            final int offset = (home + i) & slotMask;
            final int index = offset * STRIDE;
            if (block.get(index) == FREE && block.compareAndSet(index, FREE, IN_OPERATION))
            {
                return offset;
            }
        }
        return -1;
    }

    private int claimOverflow(final int home)
    {
        Block previous = null;
        Block block = overflow;
        for (int blockNumber = 1; ; blockNumber++)
        {
            if (block == null)
            {
                final Block fresh = new Block(blockSlots);
                final boolean linked = previous == null ?
                    OVERFLOW.compareAndSet(this, (Block)null, fresh) : Block.NEXT.compareAndSet(previous, (Block)null, fresh);
                // Losing the CAS means another operation linked a block here: try that one.
                block = linked ? fresh : previous == null ? overflow : previous.next;
            }
            final int offset = claimIn(block.slots, home);
            if (offset >= 0)
            {
                return (blockNumber << blockShift) + offset;
            }
            previous = block;
            block = block.next;
        }
    }

    /** The block holding {@code slot}, or null when that block was never linked. */
    private AtomicLongArray block(final int slot)
    {
        if (slot < blockSlots)
        {
            return slots;
        }
        Block block = overflow;
        for (int n = (slot >>> blockShift) - 1; n > 0 && block != null; n--)
        {
            block = block.next;
        }
        return block == null ? null : block.slots;
    }

    /** Index of a slot's first word within its block. */
    private int index(final int slot)
    {
        return (slot & slotMask) * STRIDE;
    }

    /**
     * Announces that this operation may write at or after {@code logicalAddress}, in that segment;
     * volatile store, a full fence. Clears the move target first.
     */
    public void announceWrite(final int slot, final long logicalAddress)
    {
        final AtomicLongArray block = block(slot);
        final int index = index(slot);
        block.lazySet(index + TARGET_OFFSET, 0);
        block.set(index, logicalAddress);
    }

    /**
     * The allocation announced will move the tail on: if its CAS wins, its record starts at
     * {@code segmentStart}. Stored before that CAS, which publishes it (full fence).
     */
    public void announceMoveTarget(final int slot, final long segmentStart)
    {
        block(slot).lazySet(index(slot) + TARGET_OFFSET, segmentStart);
    }

    /** Volatile load of a slot's move target: 0, or the segment start its allocation moved the tail to. */
    public long moveTarget(final int slot)
    {
        return block(slot).get(index(slot) + TARGET_OFFSET);
    }

    /**
     * The writer has written the first word of its record at {@code recordAddress}: an ordered store
     * after that write, so whoever reads this value (volatile) also reads the word.
     */
    public void announceHeaderWritten(final int slot, final long recordAddress)
    {
        block(slot).lazySet(index(slot), recordAddress | HEADER_WRITTEN);
    }

    /**
     * The writer's record at {@code recordAddress} is complete and it is about to check
     * {@code Store.linkable} and CAS it into the index. A volatile store: its full fence makes this
     * and the check the writer's half of a Dekker handshake with a forced reclaim, which changes the
     * segment's state and then scans for LINKING writers. Either the check sees the reclaim, or the
     * reclaim sees this and fences the record's index slot, so a CAS the writer makes after the
     * reclaim passed its record can never succeed (see {@code Reclaimer}). It also publishes the
     * record's bytes, key included, to the reclaim that reads this.
     */
    public void announceLinking(final int slot, final long recordAddress)
    {
        block(slot).set(index(slot), recordAddress | HEADER_WRITTEN | LINKING);
    }

    /** The record address in an announced value, without its flags. */
    public static long addressOf(final long value)
    {
        return value & ~(HEADER_WRITTEN | LINKING);
    }

    /**
     * The operation goes on but owns no space in the log now (it reclaims before allocating again, or
     * its record is linked or abandoned): a stale announcement would make a later reclaim treat it as
     * a writer stalled inside that segment. Ordered after the operation's last write to the log.
     */
    public void withdrawWrite(final int slot)
    {
        block(slot).lazySet(index(slot), IN_OPERATION);
    }

    public void release(final int slot)
    {
        block(slot).lazySet(index(slot), FREE);
    }

    /**
     * The first slot at or after {@code fromSlot} that holds an announced address, for a scan that
     * allocates nothing: {@code for (int s = nextAnnounced(0); s >= 0; s = nextAnnounced(s + 1))}.
     *
     * @return the slot, or -1 when there is none.
     */
    public int nextAnnounced(final int fromSlot)
    {
        for (int slot = fromSlot; ; )
        {
            final AtomicLongArray block = block(slot);
            if (block == null)
            {
                return -1;
            }
            final int blockStart = slot & ~slotMask;
            for (int offset = slot & slotMask; offset < blockSlots; offset++)
            {
                if (isAddress(block.get(offset * STRIDE)))
                {
                    return blockStart + offset;
                }
            }
            slot = blockStart + blockSlots;
        }
    }

    /** Volatile load of one slot: an address, possibly with {@link #HEADER_WRITTEN}, or FREE / IN_OPERATION. */
    public long announced(final int slot)
    {
        return block(slot).get(index(slot));
    }

    /** True when the value is an announced address rather than FREE or IN_OPERATION. */
    public static boolean isAddress(final long value)
    {
        return value != FREE && value != IN_OPERATION;
    }

    /** True when any operation is in flight. Used by close, which may wait. */
    public boolean anyInFlight()
    {
        if (anyHeld(slots))
        {
            return true;
        }
        for (Block block = overflow; block != null; block = block.next)
        {
            if (anyHeld(block.slots))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean anyHeld(final AtomicLongArray block)
    {
        for (int i = 0, n = block.length(); i < n; i += STRIDE)
        {
            if (block.get(i) != FREE)
            {
                return true;
            }
        }
        return false;
    }
}
