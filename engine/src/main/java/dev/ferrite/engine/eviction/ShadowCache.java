package dev.ferrite.engine.eviction;

/**
 * A miniature simulation of the log and its keep policy at one keep frequency, fed a hash-sampled
 * share of the accesses (Waldspurger et al., "Cache Modeling and Optimization using Miniature
 * Simulations", USENIX ATC 2017): a sample of 1/R of the keys in a log of the same number of
 * segments, each 1/R of the bytes, has about the hit ratio of the whole cache under the same policy,
 * so shadows side by side tell which keep frequency the real log should use on the workload it has now.
 *
 * <p>The shadow must behave like the log, segments included, or it advises for another cache: a
 * first version without segments (each byte leaving the head paid its keep budget) got 0.8% on the
 * loop trace where the log gets 42.6% at the same keep frequency, because which record a short
 * budget evicts (the last of a segment, in the log) decides whether a loop settles into hits. So it
 * replays {@code Reclaimer}'s rules:
 * <ul>
 *   <li>a miss inserts at the tail, a write appends the new version and leaves the old as garbage; an
 *   entry that does not fit the rest of the tail segment starts the next one;</li>
 *   <li>a write that finds the log full reclaims the head segment: budget +95% of a segment (carried
 *   over up to two); under pressure (live bytes above 85% of the log) a live entry is copied to the tail
 *   only if read in its lap or its sketch frequency is at least {@code keepFrequency}, and its copy is
 *   paid from the budget; without pressure every live entry is copied;</li>
 *   <li>a write that reclaimed a whole lap without room asks for urgent reclaims: read entries are
 *   kept up to half of what is walked, nothing else.</li>
 * </ul>
 *
 * <pre>
 *   ring (the log in entry order, oldest at head):  [ e0 | e1 | e2 | ... ]
 *        each: key hash, bytes, log offset, state (unreferenced, referenced, garbage), awaiting write
 *   table (open addressing):  key hash -> ring position   linear probing, backward-shift delete
 * </pre>
 *
 * Single-threaded: only the thread that holds {@link KeepPolicyAdvisor}'s drain flag calls it.
 * Allocates nothing after construction. Its heap footprint is fixed by the sample size, whatever the
 * number of entries in the cache.
 */
final class ShadowCache
{
    /** The log a shadow replays: its real segment count, segments scaled down by the sample ratio. */
    record Shape(
        int segmentBytes,
        int usableSegments,
        int reservedSegments,
        int pressurePercent,
        int keepBudgetPercent,
        int keepBudgetCarrySegments,
        int urgentKeepPercent,
        int ringEntries)
    {
    }

    private static final long EMPTY = 0;
    private static final byte UNREFERENCED = 0;
    private static final byte REFERENCED = 1;
    private static final byte GARBAGE = 2;

    private final FrequencySketch sketch;
    private final int keepFrequency;
    private final Shape shape;
    private final long segmentBytes;
    private final long pressureBytes;
    private final long keepBudgetPerSegment;
    private final long keepBudgetLimit;
    private final int ringMask;
    private final long[] ringHashes;
    private final int[] ringBytes;
    private final long[] ringOffsets;
    private final byte[] ringStates;
    /** Inserted by a read that missed, standing for the put that follows it: that put must not write it twice. */
    private final boolean[] ringAwaitingWrite;
    private final int tableMask;
    private final long[] tableHashes;
    private final int[] tablePositions;

    private long headSequence;
    private long tailSequence;
    private long headSegment;
    private long tailOffset;
    private long liveBytes;
    private long keepBudget;
    private long hits;

    ShadowCache(final FrequencySketch sketch, final int keepFrequency, final Shape shape)
    {
        if (Integer.bitCount(shape.ringEntries()) != 1 || shape.segmentBytes() <= 0 || shape.usableSegments() <= 0)
        {
            throw new IllegalArgumentException("invalid shadow shape " + shape);
        }
        this.sketch = sketch;
        this.keepFrequency = keepFrequency;
        this.shape = shape;
        this.segmentBytes = shape.segmentBytes();
        this.pressureBytes = segmentBytes * shape.usableSegments() / 100 * shape.pressurePercent();
        this.keepBudgetPerSegment = segmentBytes * shape.keepBudgetPercent() / 100;
        this.keepBudgetLimit = segmentBytes * shape.keepBudgetCarrySegments();
        final int entries = shape.ringEntries();
        this.ringMask = entries - 1;
        this.ringHashes = new long[entries];
        this.ringBytes = new int[entries];
        this.ringOffsets = new long[entries];
        this.ringStates = new byte[entries];
        this.ringAwaitingWrite = new boolean[entries];
        this.tableMask = entries * 2 - 1;
        this.tableHashes = new long[entries * 2];
        this.tablePositions = new int[entries * 2];
    }

    int keepFrequency()
    {
        return keepFrequency;
    }

    /** Reads that found their key, since construction. */
    long hits()
    {
        return hits;
    }

    long liveBytes()
    {
        return liveBytes;
    }

    boolean contains(final long keyHash)
    {
        return find(nonEmpty(keyHash)) >= 0;
    }

    /**
     * Live entries, after checking that the table and the ring agree both ways and that the live
     * bytes add up: for tests, it walks both.
     *
     * @throws IllegalStateException at the first disagreement.
     */
    int liveEntries()
    {
        int tableEntries = 0;
        for (int slot = 0; slot <= tableMask; slot++)
        {
            final long hash = tableHashes[slot];
            if (hash != EMPTY)
            {
                final int position = tablePositions[slot];
                if (ringHashes[position] != hash || ringStates[position] == GARBAGE)
                {
                    throw new IllegalStateException("table slot " + slot + " points to a stale ring position");
                }
                tableEntries++;
            }
        }
        int ringEntries = 0;
        long bytes = 0;
        for (long sequence = headSequence; sequence != tailSequence; sequence++)
        {
            final int position = (int)(sequence & ringMask);
            if (ringStates[position] != GARBAGE)
            {
                final int slot = find(ringHashes[position]);
                if (slot < 0 || tablePositions[slot] != position)
                {
                    throw new IllegalStateException("live ring entry " + sequence + " is not in the table");
                }
                ringEntries++;
                bytes += ringBytes[position];
            }
        }
        if (ringEntries != tableEntries || bytes != liveBytes)
        {
            throw new IllegalStateException("ring holds " + ringEntries + " entries of " + bytes + " bytes, table " +
                tableEntries + ", live bytes " + liveBytes);
        }
        return tableEntries;
    }

    /**
     * A read of the key. A hit marks it referenced. A miss inserts it: the shadow's cache would load
     * it. When the real cache missed, its caller puts the key next: that put stands for the load, so
     * the entry waits for it instead of taking it as an overwrite.
     *
     * @param realMiss the real cache missed this read.
     */
    void read(final long keyHash, final int recordBytes, final boolean realMiss)
    {
        final long hash = nonEmpty(keyHash);
        final int tableSlot = find(hash);
        if (tableSlot >= 0)
        {
            hits++;
            final int position = tablePositions[tableSlot];
            ringStates[position] = REFERENCED;
            ringAwaitingWrite[position] = realMiss;
            return;
        }
        if (insert(hash, recordBytes) && realMiss)
        {
            ringAwaitingWrite[(int)((tailSequence - 1) & ringMask)] = true;
        }
    }

    /** A write of the key: like the log, the new version goes to the tail, unreferenced; the old one is garbage. */
    void write(final long keyHash, final int recordBytes)
    {
        final long hash = nonEmpty(keyHash);
        final int tableSlot = find(hash);
        if (tableSlot >= 0)
        {
            final int position = tablePositions[tableSlot];
            if (ringAwaitingWrite[position])
            {
                ringAwaitingWrite[position] = false; // the put that the missed read stood for
                return;
            }
            remove(tableSlot);
        }
        insert(hash, recordBytes);
    }

    /** A remove of the key: its entry becomes garbage. */
    void remove(final long keyHash)
    {
        final int tableSlot = find(nonEmpty(keyHash));
        if (tableSlot >= 0)
        {
            remove(tableSlot);
        }
    }

    private void remove(final int tableSlot)
    {
        final int position = tablePositions[tableSlot];
        liveBytes -= ringBytes[position];
        ringStates[position] = GARBAGE;
        delete(tableSlot);
    }

    /** @return false when the entry is not cached at all. */
    private boolean insert(final long hash, final int recordBytes)
    {
        if (recordBytes <= 0 || recordBytes >= segmentBytes)
        {
            return false; // as the log refuses it (or, sampled, its scaled segments are too small for it)
        }
        final long lap = shape.usableSegments() + shape.reservedSegments();
        for (long reclaims = 0; reclaims <= lap * 4; reclaims++)
        {
            final int position = append(hash, recordBytes, false);
            if (position >= 0)
            {
                tablePut(hash, position);
                liveBytes += recordBytes;
                return true;
            }
            reclaimHead(reclaims > lap);
        }
        return false;
    }

    /** Reclaims the oldest segment, as {@code Reclaimer.reclaimHead} does. */
    private void reclaimHead(final boolean urgent)
    {
        if (tailOffset > headSegment * segmentBytes && (tailOffset - 1) / segmentBytes == headSegment)
        {
            // The ring filled before the bytes did: the tail is still in the head segment. Close it, as
            // the log's tail has always left a segment before reclaim reaches it.
            tailOffset = (headSegment + 1) * segmentBytes;
        }
        final long end = (headSegment + 1) * segmentBytes;
        final long lastSequence = tailSequence;
        keepBudget = Math.min(keepBudgetLimit, keepBudget + keepBudgetPerSegment);
        // The ring is a second budget beside the bytes (small records): nearly full counts as pressure.
        final boolean underPressure = urgent || liveBytes > pressureBytes ||
            (tailSequence - headSequence) * 100 > (long)ringMask * shape.pressurePercent();
        long copied = 0;
        long walked = 0;
        while (headSequence != lastSequence && ringOffsets[(int)(headSequence & ringMask)] < end)
        {
            final int position = (int)(headSequence++ & ringMask);
            if (ringStates[position] == GARBAGE)
            {
                continue;
            }
            final long hash = ringHashes[position];
            final int bytes = ringBytes[position];
            final int tableSlot = find(hash);
            final boolean referenced = ringStates[position] == REFERENCED;
            final boolean keep;
            if (!underPressure)
            {
                keep = true;
            }
            else if (urgent)
            {
                keep = referenced && (copied + bytes) * 100 <= (walked + bytes) * shape.urgentKeepPercent();
            }
            else
            {
                keep = (referenced || sketch.frequency(hash) >= keepFrequency) && takeKeepBudget(bytes);
            }
            walked += bytes;
            final int copy = keep ? append(hash, bytes, true) : -1;
            if (copy >= 0)
            {
                copied += bytes;
                ringAwaitingWrite[copy] = ringAwaitingWrite[position];
                tablePositions[tableSlot] = copy;
            }
            else
            {
                liveBytes -= bytes;
                delete(tableSlot);
            }
        }
        headSegment++;
        if (headSequence == tailSequence && tailOffset < headSegment * segmentBytes)
        {
            tailOffset = headSegment * segmentBytes; // an empty log starts at its head
        }
    }

    /** Pays for one copy, its share of the filler that entries of its size leave in a segment included. */
    private boolean takeKeepBudget(final int bytes)
    {
        final long perSegment = Math.max(1, segmentBytes / bytes);
        final long cost = bytes + (segmentBytes - perSegment * bytes) / perSegment;
        if (keepBudget < cost)
        {
            return false;
        }
        keepBudget -= cost;
        return true;
    }

    /**
     * Places an entry at the tail of the log, moving to the next segment when it does not fit this
     * one. Writes stay out of the reserved segments; copies may use them.
     *
     * @return its ring position, or -1 when the log (or the ring) is full.
     */
    private int append(final long hash, final int bytes, final boolean copy)
    {
        if (tailSequence - headSequence > ringMask)
        {
            return -1;
        }
        long offset = tailOffset;
        if (offset % segmentBytes + bytes >= segmentBytes) // as the log: a record never ends on a boundary
        {
            offset = (offset / segmentBytes + 1) * segmentBytes;
        }
        // As the log: writes may fill all but the reserved segments (the usable ones and the open tail).
        final long segmentsAllowed = shape.usableSegments() + 1 + (copy ? shape.reservedSegments() : 0);
        if ((offset + bytes - 1) / segmentBytes >= headSegment + segmentsAllowed)
        {
            return -1;
        }
        tailOffset = offset + bytes;
        final int position = (int)(tailSequence++ & ringMask);
        ringHashes[position] = hash;
        ringBytes[position] = bytes;
        ringOffsets[position] = offset;
        ringStates[position] = UNREFERENCED;
        ringAwaitingWrite[position] = false;
        return position;
    }

    private void tablePut(final long hash, final int position)
    {
        int slot = home(hash);
        while (tableHashes[slot] != EMPTY)
        {
            slot = (slot + 1) & tableMask;
        }
        tableHashes[slot] = hash;
        tablePositions[slot] = position;
    }

    private int find(final long hash)
    {
        for (int slot = home(hash); ; slot = (slot + 1) & tableMask)
        {
            final long stored = tableHashes[slot];
            if (stored == hash)
            {
                return slot;
            }
            if (stored == EMPTY)
            {
                return -1;
            }
        }
    }

    /** Backward-shift deletion: no tombstones, so probes stay short however long the shadow runs. */
    private void delete(final int deletedSlot)
    {
        if (deletedSlot < 0)
        {
            return;
        }
        int hole = deletedSlot;
        int slot = deletedSlot;
        while (true)
        {
            slot = (slot + 1) & tableMask;
            final long hash = tableHashes[slot];
            if (hash == EMPTY)
            {
                break;
            }
            final int home = home(hash);
            // Move the entry into the hole unless its home lies cyclically in (hole, slot].
            final boolean homeBetween = hole <= slot ? (home > hole && home <= slot) : (home > hole || home <= slot);
            if (!homeBetween)
            {
                tableHashes[hole] = hash;
                tablePositions[hole] = tablePositions[slot];
                hole = slot;
            }
        }
        tableHashes[hole] = EMPTY;
    }

    private int home(final long hash)
    {
        // Not the advisor's sampling multiplier: sampled keys share those bits (all zero), and homing
        // on them put every key of a large store in one slot.
        return (int)((hash * 0xC2B2_AE3D_27D4_EB4FL) >>> 32) & tableMask;
    }

    private static long nonEmpty(final long hash)
    {
        return hash == EMPTY ? 1 : hash;
    }
}
