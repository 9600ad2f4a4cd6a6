package dev.ferrite.engine.core;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.Status;
import dev.ferrite.engine.eviction.FrequencySketch;
import dev.ferrite.engine.eviction.KeepPolicyAdvisor;
import dev.ferrite.engine.hash.KeyHash;
import dev.ferrite.engine.hash.RoutingSlot;
import dev.ferrite.engine.index.ChainIndex;
import dev.ferrite.engine.log.OffHeapMemory;
import dev.ferrite.engine.log.OperationRegistry;
import dev.ferrite.engine.log.SegmentLog;
import dev.ferrite.engine.log.SegmentTable;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;

import static dev.ferrite.engine.log.RecordDescriptor.*;

/**
 * The store: a hash index of chains whose records live in a log-structured, circular arena of
 * segments, all off-heap in one allocation. A cache is one or more of these, split by key hash
 * ({@link ShardedStore}); each key lives in one store for good.
 *
 * <h2>Design</h2>
 * <ul>
 *   <li><b>Records are immutable.</b> A put appends a new record to the log and swings its index
 *   slot to it with one CAS; the new record points at the older records of the chain. A remove
 *   appends a tombstone the same way. So a slot's head only ever moves to a newer address, never
 *   back: a CAS holding a head it loaded before a stall can never succeed once the chain has moved
 *   on (no ABA). Removes used to unlink a key's only version by swinging the head back to the
 *   record below it; a helper stalled with that older head as its expected value then linked a
 *   relocated copy of a version that had since been overwritten and removed, resurrecting it (found
 *   by the stalled-threads model test in {@code stress}).</li>
 *   <li><b>Reads are optimistic.</b> A reader never writes the index or a record's contents:
 *   besides statistics and the frequency sketch it writes only its registry slot (to hold off
 *   {@code close}) and, on a record's first hit since it was written or relocated, the referenced
 *   bit in the record's first word (one CAS, never retried). It
 *   loads the slot, walks the chain, and trusts what it read from a record only if the record's
 *   segment state names the same logical segment before and after (a sequence lock per segment,
 *   the segment number being the sequence). Memory is reused only by reclaiming a whole segment,
 *   which changes its state first, so a reader that raced with reuse notices and restarts from
 *   the index. Every length read from the log is bounds-checked before use, so a torn read can
 *   never send a copy outside the arena.</li>
 *   <li><b>Writers announce themselves</b> in an {@link OperationRegistry} slot before their space
 *   is theirs, and again once their record's first word is written. Reclaim skips a segment while an
 *   announced writer may still write into it, so a writer that stalls for a whole lap of the log
 *   cannot scribble over reused memory. With eviction on, a write that has waited 2 ms for such a
 *   writer forces the reclaim past it: the stalled record is dropped and its memory sits out the
 *   next laps (quarantined) until the writer resumes, finds its record passed and writes again.</li>
 *   <li><b>Space comes back by segment.</b> When the log needs a segment it reclaims the oldest
 *   one ({@link Reclaimer}): records still live and used often are copied to the tail, the rest are
 *   evicted. Any thread that needs space helps: records are claimed a batch at a time by CAS on a
 *   cursor, and a stalled reclaimer's records are settled in its place, so it does not stop others.</li>
 * </ul>
 *
 * <h2>Progress guarantees</h2>
 * Every operation first claims a slot in the {@link OperationRegistry}: one CAS while fewer
 * operations are in flight than its first block holds (256 slots; more from 32 processors on), and
 * never a wait beyond that (overflow blocks).
 * <ul>
 *   <li>get, containsKey: lock-free. They restart only when a record they were reading was
 *   reclaimed, which means the log advanced; they never wait for another thread.</li>
 *   <li>put, putIfAbsent, replace, compareAndSet, remove, touch: lock-free in that none waits on a
 *   lock or without bound. A failed CAS on a slot or on the tail means another operation succeeded.
 *   A write that needs space reclaims the oldest segment itself, and never fails because of another
 *   reclaimer: one descheduled while holding a record of that segment has it settled in its place,
 *   after at most 20 ms if it had settled a record it may copy ({@link Reclaimer}). Nor because of
 *   another writer: one that allocated in that segment and then stalled for a whole lap of the log
 *   is waited for 2 ms per segment ({@code SegmentLog.FORCE_RECLAIM_AFTER_NS}), then passed,
 *   wherever in its write it stalled (before its record's first word, which a walk needs to step
 *   over the record, the records behind it are found through the index). Its record is dropped,
 *   its slot fenced if it was about to link ({@link LinkFences}: its late CAS fails), and it writes
 *   again; with eviction off the segment also stays readable (deferred), a fallback for a late link
 *   a fence could not stop. What still fails a write with {@link Status#FULL}: as many writers
 *   stalled at once as there are segments less four (each sets one aside), which leaves no segment
 *   to write in until one resumes; with eviction off, more deferrals in a row than the relocation
 *   reserve absorbs, likewise. The stalled-threads model test in {@code stress} checks all of this
 *   with threads asleep at twelve points inside these operations ({@link StallInjection}).</li>
 *   <li>Statistics and the frequency sketch: wait-free.</li>
 * </ul>
 *
 * <h2>Linearization points</h2>
 * The successful CAS on the index slot for writes; the acquire load of the slot for reads whose
 * walk completes without a restart. Expiry is judged against the clock: a write that found its
 * entry live reads the clock again right before its CAS and decides again if the entry has expired
 * since ({@link #expiredSince}). A thread descheduled between that read and its CAS can still apply
 * a conditional write or touch to an entry a concurrent read has just seen expired: closing that
 * would need readers to write (a reader that sees an expired head would have to move it), which
 * reads here never do.
 */
public final class Store implements AutoCloseable
{
    /** A chain walk had to start over: a record it read was reclaimed while it read. */
    static final long RESTART = -1;
    /** Times a touch's own allocation may move the record it copies before it answers FULL; see touch. */
    static final int MAX_TOUCH_SOURCE_MOVES = 3;
    static final int MAX_CHAIN_STEPS = 1 << 20;

    final CacheConfig config;
    final SegmentLog log;
    final ChainIndex index;
    final FrequencySketch sketch;
    /** Samples this store's operations to choose reclaim's keep frequency; null with eviction off, and in a shard that follows another's advice. */
    final KeepPolicyAdvisor advisor;
    /** Whose advice reclaim follows: {@link #advisor}, or the first shard's ({@link ShardedStore}); null with eviction off. */
    final KeepPolicyAdvisor keepAdvisor;
    final OperationRegistry registry;
    final Counters counters = new Counters();
    final EpochClock clock;
    final Reclaimer reclaimer;
    private final OffHeapMemory memory;
    private final long hashSeed;
    /** Sketch additions a thread holds back in its context before adding them to the shared count. */
    private final int sketchAdditionsBatch;
    private final int maxKeyLength;
    private final int maxValueLength;
    private final ThreadLocal<OperationContext> contexts = ThreadLocal.withInitial(() -> new OperationContext(counters));
    private volatile boolean closed;
    private static final java.lang.invoke.VarHandle CLOSED;

    static
    {
        try
        {
            CLOSED = java.lang.invoke.MethodHandles.lookup().findVarHandle(Store.class, "closed", boolean.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }
    /** Above every version a removed or evicted entry had: a re-created key never reuses one (no ABA). */
    private final java.util.concurrent.atomic.AtomicLong versionFloor = new java.util.concurrent.atomic.AtomicLong();

    public Store(final CacheConfig config)
    {
        this(config, null);
    }

    /**
     * @param adviceFrom null to run this store's own keep policy advisor; or a store of the same
     *                   shape whose advisor's advice this one follows without sampling (the shards
     *                   of a {@link ShardedStore} are statistically alike, so one advisor serves all).
     */
    Store(final CacheConfig config, final Store adviceFrom)
    {
        if (config.conclude().shards() > 1)
        {
            // A sharded config's totals are not one store's layout (review: its allocation came from
            // the shard sizes); ShardedStore builds the shards from shardConfig().
            throw new IllegalArgumentException("a Store is one shard: this config has shards=" + config.shards() +
                "; build a ShardedStore (or a FerriteCache), or set shards(1)");
        }
        this.config = config.conclude();
        config.validateLimits(); // limits may have changed since conclude
        this.clock = config.clock();
        this.hashSeed = config.hashSeed();
        this.maxKeyLength = config.maxKeyLength();
        this.maxValueLength = config.maxValueLength();

        final long indexBytes = config.indexSlots() * 8;
        final long sketchBytes = FrequencySketch.bytesFor(config.indexSlots());
        final long tableBytes = (long)config.segmentCount() * SegmentTable.ENTRY_LENGTH;
        final long dataBytes = (long)config.segmentCount() * config.segmentBytes();
        this.memory = new OffHeapMemory(config.allocatedBytes());
        try
        {
            long address = memory.address();
            this.index = new ChainIndex(new UnsafeBuffer(address, Math.toIntExact(indexBytes)));
            address += indexBytes;
            this.sketch = new FrequencySketch(new UnsafeBuffer(address, Math.toIntExact(sketchBytes)));
            this.sketchAdditionsBatch = sketch.additionsBatch();
            address += sketchBytes;
            final long sampleBytes = KeepPolicyAdvisor.sampleBufferBytes(config.indexSlots());
            final UnsafeBuffer sampleBuffer = new UnsafeBuffer(address, Math.toIntExact(sampleBytes));
            address += sampleBytes;
            final SegmentTable table = new SegmentTable(new UnsafeBuffer(address, Math.toIntExact(tableBytes)), config.segmentCount());
            address += tableBytes;
            this.registry = new OperationRegistry(Runtime.getRuntime().availableProcessors());
            this.log = new SegmentLog(address, config.segmentBytes(), config.segmentCount(), table, registry,
                CacheConfig.RESERVED_SEGMENTS, config.evictionEnabled());
            if (address + dataBytes > memory.address() + memory.length())
            {
                throw new IllegalStateException("layout overruns allocation");
            }
            this.advisor = config.evictionEnabled() && adviceFrom == null ?
                new KeepPolicyAdvisor(sampleBuffer, sketch, config.indexSlots(), Reclaimer.logShape(log)) : null;
            this.keepAdvisor = !config.evictionEnabled() ? null : adviceFrom == null ? advisor : adviceFrom.keepAdvisor;
            this.reclaimer = new Reclaimer(this);
        }
        catch (final RuntimeException | Error e)
        {
            memory.free(); // a constructor that throws has no close: the whole budget would leak for good
            throw e;
        }
    }

    public CacheConfig config()
    {
        return config;
    }

    // ---------------------------------------------------------------------------------------------
    // Entry and exit of every operation.

    OperationContext context()
    {
        return contexts.get();
    }

    /** Claims a registry slot, then checks the store is open (the Dekker half that pairs with close). */
    int enter(final OperationContext context)
    {
        final int slot = registry.claim(context.homeSlot);
        if (closed)
        {
            registry.release(slot);
            throw new IllegalStateException("cache is closed");
        }
        return slot;
    }

    void exit(final int slot)
    {
        registry.release(slot);
    }

    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Frees all off-heap memory once operations in flight have finished. Blocking, and not on any
     * operation's path: operations that start afterwards throw {@link IllegalStateException}. Only
     * the first call closes (one CAS); any other, concurrent or later, returns at once. Two closers
     * that both passed a plain check used to free the memory twice: glibc aborted the JVM (found by
     * review, within a few thousand rounds every run).
     */
    @Override
    public void close()
    {
        if (!CLOSED.compareAndSet(this, false, true))
        {
            return;
        }
        UnsafeApi.fullFence();
        while (registry.anyInFlight())
        {
            Thread.onSpinWait();
            Thread.yield();
        }
        memory.free();
    }

    /**
     * Reclaims the oldest segments, as a writer short of room would, until {@code aheadSegments}
     * segments beyond the reserved ones are open ahead of the tail, so that writes find room without
     * reclaiming themselves: a background thread calls this (see {@code ReclaimAgent}). Stops early
     * at {@code maxSegments}, or when a reclaim cannot proceed (nothing to gain with eviction off, or
     * a writer still inside the oldest segment: this never forces a reclaim past a stalled writer,
     * writes that need the room do that after their grace period).
     *
     * <p>Does nothing when the room asked for cannot be made: compaction cannot shrink the log below
     * its live data, so unless live data leaves that room, only eviction can make it, and reclaim
     * evicts only above the eviction pressure. Below it the agent would copy live records round and
     * round on an idle cache, clearing their reference bits (found by review: 12 segments copied in 3
     * idle seconds with a quarter of the segments asked for).
     *
     * <p>Lock-free, as every reclaim helper: it works beside writers that reclaim, and writers help or
     * take over from a thread descheduled here. Bounded by {@code maxSegments}. Allocates nothing.
     *
     * @return segments reclaimed: 0 when there was nothing to do or nothing that could be done, or the
     * store is closed; or {@link #RECLAIM_AHEAD_NO_GAIN} when {@code maxSegments} were reclaimed and
     * their records' copies took all but a sixteenth of a segment of the room they freed (the caller
     * should wait before trying again).
     */
    public int reclaimAhead(final int aheadSegments, final int maxSegments)
    {
        final long segmentBytes = log.segmentBytes();
        final long wantedOpen = (long)log.reservedSegments() + aheadSegments;
        if (closed || log.openSegmentsAhead() >= wantedOpen)
        {
            return 0;
        }
        // The tail's segment, and one for records that pack badly, beside the open ones asked for.
        final boolean compactionCanMakeRoom = liveBytes() + (wantedOpen + 2) * segmentBytes <= log.segmentCount() * segmentBytes;
        if (!compactionCanMakeRoom && !(config.evictionEnabled() && reclaimer.underPressure()))
        {
            return 0;
        }
        final OperationContext context = context();
        final int registrySlot;
        try
        {
            registrySlot = enter(context);
        }
        catch (final IllegalStateException closedMeanwhile)
        {
            return 0; // an agent still running when its cache closes has nothing left to do
        }
        int reclaimed = 0;
        long gainedBytes = 0;
        context.reclaimingAhead = true;
        try
        {
            while (reclaimed < maxSegments && log.openSegmentsAhead() < wantedOpen)
            {
                // What this thread's own reclaims freed, not the net of the writers' use meanwhile
                // (review: judged by open segments, the agent read writers' use as its own failure and
                // sat out 66-91% of a loaded run). Each copy costs its share of the filler records of
                // its length leave at a segment's end too (review: three 17 KiB records to a 64 KiB
                // segment looked like a gain of the 12 KiB end every reclaim, and the agent never
                // paused). Reset here: reclaimHead's shortcuts do not.
                context.reclaimTally[Reclaimer.TALLY_COPY_COST] = 0;
                if (reclaimer.reclaimHead(registrySlot, false, false) != SegmentLog.SpaceReclaimer.RECLAIMED)
                {
                    break;
                }
                reclaimed++;
                gainedBytes += segmentBytes - context.reclaimTally[Reclaimer.TALLY_COPY_COST];
            }
        }
        finally
        {
            context.reclaimingAhead = false;
            exit(registrySlot);
        }
        // Under eviction pressure a reclaim may keep 95% of its segment, so a quota can gain a fifth
        // of a segment and still be worth it; under a sixteenth, the copies took the room back.
        return reclaimed == maxSegments && gainedBytes < segmentBytes / 16 ? RECLAIM_AHEAD_NO_GAIN : reclaimed;
    }

    /**
     * Where the log's tail stands: it moves with every write, remove, touch and relocated copy, so
     * an unchanged position means nothing was written since. Wait-free; reads heap memory only.
     */
    public long writePosition()
    {
        return log.tail();
    }

    /** From {@link #reclaimAhead}: a full quota of segments reclaimed, and less than a sixteenth of a segment gained. */
    public static final int RECLAIM_AHEAD_NO_GAIN = -1;

    // ---------------------------------------------------------------------------------------------
    // Validation of caller input: never trusted.

    long hashSeed()
    {
        return hashSeed;
    }

    long hash(final DirectBuffer key, final int keyOffset, final int keyLength)
    {
        return KeyHash.hash(key, keyOffset, keyLength, hashSeed);
    }

    int checkKey(final DirectBuffer key, final int keyOffset, final int keyLength)
    {
        if (key == null)
        {
            throw new NullPointerException("key");
        }
        if (keyLength < 0 || keyOffset < 0 || (long)keyOffset + keyLength > key.capacity())
        {
            throw new IndexOutOfBoundsException("keyOffset=" + keyOffset + " keyLength=" + keyLength +
                " capacity=" + key.capacity());
        }
        if (keyLength > maxKeyLength)
        {
            // Checked here too, or a closed cache would answer a too-long key (found by review): every
            // other path checks when it enters the store.
            checkOpen();
            return Status.KEY_TOO_LARGE;
        }
        return 0;
    }

    /** @throws IllegalStateException when the store is closed. */
    void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("cache is closed");
        }
    }

    /** For removes and touches: a key longer than any stored one is simply absent. */
    static int absentWhenTooLong(final int keyCheck)
    {
        return keyCheck == Status.KEY_TOO_LARGE ? Status.MISS : keyCheck;
    }

    int checkValue(final DirectBuffer value, final int valueOffset, final int valueLength)
    {
        if (value == null)
        {
            throw new NullPointerException("value");
        }
        if (valueLength < 0 || valueOffset < 0 || (long)valueOffset + valueLength > value.capacity())
        {
            throw new IndexOutOfBoundsException("valueOffset=" + valueOffset + " valueLength=" + valueLength +
                " capacity=" + value.capacity());
        }
        return valueLength > maxValueLength ? Status.VALUE_TOO_LARGE : 0;
    }

    // ---------------------------------------------------------------------------------------------
    // Chain walking.

    /**
     * Walks the chain from {@code head} to the newest record of the key. On a match, fills the
     * context's found fields (read while the record's segment was current).
     *
     * @return the matched address, 0 when the chain holds no record of the key, or {@link #RESTART}.
     */
    long findKey(
        final OperationContext context,
        final int slot,
        final long head,
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength)
    {
        return findKeyFrom(context, slot, head, head, key, keyOffset, keyLength);
    }

    /**
     * As {@link #findKey}, starting part-way down the chain headed by {@code head}.
     */
    long findKeyFrom(
        final OperationContext context,
        final int slot,
        final long head,
        final long start,
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength)
    {
        final SegmentTable table = log.table();
        long address = start;
        int steps = 0;
        while (address != 0)
        {
            final long segment = log.logicalSegment(address);
            final int physical = log.physical(segment);
            final long state = table.stateAcquire(physical);
            if (SegmentTable.logicalSegmentOf(state) != segment)
            {
                // Reclaimed: everything older is gone too, unless the chain changed under us
                // (a relocation or a write put a newer head in place), which a restart will see.
                return index.headAcquire(slot) == head ? 0 : RESTART;
            }
            final UnsafeBuffer buffer = log.buffer(segment);
            final int offset = log.offset(address);
            if (offset > log.segmentBytes() - HEADER_LENGTH)
            {
                return RESTART;
            }
            final long lengths = buffer.getLong(offset + LENGTHS_OFFSET);
            final long previous = buffer.getLong(offset + PREVIOUS_OFFSET);
            final int recordKeyLength = keyLength(lengths);
            boolean match = false;
            if (recordKeyLength == keyLength && offset + HEADER_LENGTH + (long)keyLength <= log.segmentBytes())
            {
                match = Bytes.equal(buffer, offset + HEADER_LENGTH, key, keyOffset, keyLength);
            }
            final long version = buffer.getLong(offset + VERSION_OFFSET);
            final long expiresAt = buffer.getLong(offset + EXPIRES_AT_OFFSET);
            UnsafeApi.loadLoadFence(); // order the record reads before the state re-read
            // Compare the segment number only: OPEN -> RECLAIMING keeps the memory intact.
            if (SegmentTable.logicalSegmentOf(table.stateAcquire(physical)) != segment)
            {
                return index.headAcquire(slot) == head ? 0 : RESTART;
            }
            if (match)
            {
                context.found(address, lengths, previous, version, expiresAt);
                return address;
            }
            if (previous >= address || ++steps > MAX_CHAIN_STEPS)
            {
                // Chains strictly decrease; anything else is a torn read that validation missed.
                return RESTART;
            }
            address = previous;
        }
        return 0;
    }

    boolean isLive(final OperationContext context, final long now)
    {
        if ((flags(context.foundLengthsWord) & FLAG_TOMBSTONE) != 0)
        {
            return false;
        }
        final long expiresAt = context.foundExpiresAtMillis;
        return expiresAt == 0 || expiresAt > now;
    }

    long now(final OperationContext context)
    {
        return clock.time();
    }

    /**
     * Checked right before the index CAS of a write that found its entry live: true when the entry
     * (live until {@code presentUntil}, 0 for never) has expired since, so the write must decide
     * again. Otherwise a conditional write or touch delayed past the expiry, in its allocation (which
     * may reclaim for milliseconds) or descheduled, applied itself to an entry a concurrent read had
     * already seen expired, and the key came back (found by review). What is left: a thread
     * descheduled between this read of the clock and its CAS, a few instructions.
     */
    boolean expiredSince(final long presentUntil)
    {
        return presentUntil != 0 && presentUntil <= clock.time();
    }

    // ---------------------------------------------------------------------------------------------
    // Reads.

    /**
     * Copies the value of {@code key} into {@code destination}. Lock-free; allocates nothing.
     *
     * @return the value length, {@link Status#MISS}, {@link Status#BUFFER_TOO_SMALL} or {@link Status#KEY_TOO_LARGE}.
     */
    public int get(
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final MutableDirectBuffer destination,
        final int destinationOffset,
        final dev.ferrite.engine.EntryMeta meta)
    {
        final int keyCheck = checkKey(key, keyOffset, keyLength);
        if (keyCheck != 0)
        {
            Metas.clear(meta); // nothing found (review: it kept the previous call's version)
            return keyCheck;
        }
        return get(hash(key, keyOffset, keyLength), key, keyOffset, keyLength, destination, destinationOffset, meta);
    }

    /** As {@link #get(DirectBuffer, int, int, MutableDirectBuffer, int, dev.ferrite.engine.EntryMeta)}, for a key already checked ({@link #checkKey}) and hashed ({@link #hash}). */
    int get(
        final long hash,
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final MutableDirectBuffer destination,
        final int destinationOffset,
        final dev.ferrite.engine.EntryMeta meta)
    {
        if (destinationOffset < 0)
        {
            // Not BUFFER_TOO_SMALL: a caller that grows its buffer and retries would loop for ever.
            throw new IndexOutOfBoundsException("destinationOffset=" + destinationOffset);
        }
        final OperationContext context = context();
        final int registrySlot = enter(context);
        try
        {
            final int slot = index.slotFor(hash);
            if (sketch.incrementDeferringCount(hash) && ++context.sketchAdditions >= sketchAdditionsBatch)
            {
                sketch.countAdditions(context.sketchAdditions);
                context.sketchAdditions = 0;
            }
            while (true)
            {
                final long head = index.headAcquire(slot);
                final long found = findKey(context, slot, head, key, keyOffset, keyLength);
                if (found == RESTART)
                {
                    continue;
                }
                if (found == 0 || !isLive(context, context.foundExpiresAtMillis == 0 ? 0 : now(context)))
                {
                    Counters.increment(context.counters, Counters.MISSES);
                    if (advisor != null)
                    {
                        advisor.recordRead(hash, 0, context.homeSlot);
                    }
                    Metas.clear(meta);
                    return Status.MISS;
                }
                final int valueLength = valueLength(context.foundLengthsWord);
                Metas.set(meta, context.foundVersion, context.foundExpiresAtMillis, valueLength);
                if (destination == null || destinationOffset < 0 ||
                    (long)destinationOffset + valueLength > destination.capacity())
                {
                    return Status.BUFFER_TOO_SMALL; // not a hit yet: the caller retries with room
                }
                final long segment = log.logicalSegment(found);
                final int valueOffset = log.offset(found) + HEADER_LENGTH + keyLength(context.foundLengthsWord);
                if ((long)valueOffset + valueLength > log.segmentBytes())
                {
                    continue;
                }
                destination.putBytes(destinationOffset, log.buffer(segment), valueOffset, valueLength);
                StallInjection.at(StallInjection.GET_BEFORE_VALIDATE);
                UnsafeApi.loadLoadFence(); // the copy happens before the state re-read
                if (!log.isCurrent(segment))
                {
                    continue; // reclaimed while copying: the key may live on in a relocated copy
                }
                final long lengths = context.foundLengthsWord;
                if ((lengths & REFERENCED_BIT) == 0)
                {
                    // First hit since written or relocated. CAS against the word we validated: if the
                    // segment was reused since, the word differs and nothing is written (and a
                    // coincidental match only marks a foreign record referenced: harmless).
                    log.buffer(segment).compareAndSetLong(log.offset(found), lengths, lengths | REFERENCED_BIT);
                }
                Counters.increment(context.counters, Counters.HITS);
                if (advisor != null)
                {
                    advisor.recordRead(hash, recordBytes(lengths), context.homeSlot);
                }
                return valueLength;
            }
        }
        finally
        {
            exit(registrySlot);
        }
    }

    /** Like get, without copying the value. Lock-free. */
    public boolean containsKey(final DirectBuffer key, final int keyOffset, final int keyLength)
    {
        if (checkKey(key, keyOffset, keyLength) != 0)
        {
            return false;
        }
        return containsKey(hash(key, keyOffset, keyLength), key, keyOffset, keyLength);
    }

    /** As {@link #containsKey(DirectBuffer, int, int)}, for a key already checked and hashed. */
    boolean containsKey(final long hash, final DirectBuffer key, final int keyOffset, final int keyLength)
    {
        final OperationContext context = context();
        final int registrySlot = enter(context);
        try
        {
            final int slot = index.slotFor(hash);
            while (true)
            {
                final long found = findKey(context, slot, index.headAcquire(slot), key, keyOffset, keyLength);
                if (found != RESTART)
                {
                    return found != 0 && isLive(context, context.foundExpiresAtMillis == 0 ? 0 : now(context));
                }
            }
        }
        finally
        {
            exit(registrySlot);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Writes.

    /** How a put treats an existing entry. */
    public static final int PUT_ALWAYS = 0;
    public static final int PUT_IF_ABSENT = 1;
    public static final int PUT_IF_PRESENT = 2;
    public static final int PUT_IF_VERSION = 3;
    /**
     * Writes with the exact version given as expectedVersion, unless the key holds that one or a
     * newer one, live, expired or removed (a tombstone): snapshot loads and replication.
     */
    public static final int PUT_RESTORE = 4;
    /**
     * The largest version {@code FerriteCache.restore} takes from a caller: 2^62 writes below
     * {@code Long.MAX_VALUE}, so versions made from a restored one never reach it (see
     * {@link #versionAfter}); clock-made versions (milliseconds << 20) reach it in the year 2109.
     * Snapshot loads take any positive version, the store's own included.
     */
    public static final long MAX_RESTORE_VERSION = Long.MAX_VALUE >>> 1;
    /**
     * As {@link #PUT_IF_VERSION}, but the new version keeps the expiry of the version it replaces
     * (the {@code expiresAtMillis} argument is ignored): the map's replace and compute family. A
     * caller that passed the expiry it had read would undo a touch made since its read, because a
     * touch keeps the version (found by review).
     */
    public static final int PUT_IF_VERSION_KEEPING_EXPIRY = 5;

    /**
     * Writes a value. Lock-free; allocates nothing.
     *
     * @param mode            one of the PUT_ constants.
     * @param expectedVersion compared when mode is {@link #PUT_IF_VERSION} or {@link #PUT_IF_VERSION_KEEPING_EXPIRY}.
     * @param meta            if not null, receives the existing entry's version and expiry when a
     *                        conditional put is refused.
     * @return the new version (positive), or a negative {@link Status}.
     */
    public long put(
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final DirectBuffer value,
        final int valueOffset,
        final int valueLength,
        final long expiresAtMillis,
        final int mode,
        final long expectedVersion,
        final dev.ferrite.engine.EntryMeta meta)
    {
        final int keyCheck = checkKey(key, keyOffset, keyLength);
        if (keyCheck != 0)
        {
            Metas.clear(meta);
            return keyCheck;
        }
        return put(hash(key, keyOffset, keyLength), key, keyOffset, keyLength, value, valueOffset, valueLength,
            expiresAtMillis, mode, expectedVersion, meta);
    }

    /** As {@link #put(DirectBuffer, int, int, DirectBuffer, int, int, long, int, long, dev.ferrite.engine.EntryMeta)}, for a key already checked and hashed. */
    long put(
        final long hash,
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final DirectBuffer value,
        final int valueOffset,
        final int valueLength,
        final long expiresAtMillis,
        final int mode,
        final long expectedVersion,
        final dev.ferrite.engine.EntryMeta meta)
    {
        if (mode == PUT_RESTORE && expectedVersion <= 0)
        {
            // Here, not only in FerriteCache.restore: the general put takes this mode too (review: it
            // stored version 0 and -5, and a snapshot of the store then failed to load).
            throw new IllegalArgumentException("version=" + expectedVersion + " must be positive");
        }
        final int valueCheck = checkValue(value, valueOffset, valueLength);
        if (valueCheck != 0)
        {
            Metas.clear(meta);
            return valueCheck;
        }
        if (expiresAtMillis < 0)
        {
            Metas.clear(meta);
            return Status.INVALID_TTL;
        }
        final int recordLength = recordLength(keyLength, valueLength);
        if (recordLength >= log.segmentBytes())
        {
            return Status.VALUE_TOO_LARGE;
        }

        final OperationContext context = context();
        final int registrySlot = enter(context);
        long record = 0;
        try
        {
            final int slot = index.slotFor(hash);
            final int routingSlot = RoutingSlot.slot(key, keyOffset, keyLength);
            final long lengths = lengthsWord(keyLength, routingSlot, valueLength, 0);
            while (true)
            {
                final long head = index.headAcquire(slot);
                final long found = findKey(context, slot, head, key, keyOffset, keyLength);
                if (found == RESTART)
                {
                    continue;
                }
                final boolean present = found != 0 && isLive(context, now(context));
                final long presentUntil = present ? context.foundExpiresAtMillis : 0;
                final int refusal = refusal(mode, present, found != 0, context.foundVersion, expectedVersion);
                if (refusal != 0)
                {
                    abandon(record);
                    if (present)
                    {
                        Metas.set(meta, context.foundVersion, context.foundExpiresAtMillis, valueLength(context.foundLengthsWord));
                    }
                    else
                    {
                        Metas.clear(meta);
                    }
                    return refusal;
                }
                final long oldVersion = found != 0 ? context.foundVersion : 0;
                final long version = mode == PUT_RESTORE ? expectedVersion : nextVersion(oldVersion);
                // Skip the superseded head so a key updated in a loop keeps its chain short.
                final long previous = found != 0 && found == head ? context.foundPrevious : head;

                if (record == 0 || record < head)
                {
                    abandon(record);
                    record = 0; // abandoned once: the catch below must not flag it again if allocate throws
                    record = log.allocate(registrySlot, recordLength, SegmentLog.WRITE, reclaimer);
                    if (record < 0)
                    {
                        return record;
                    }
                    StallInjection.at(StallInjection.PUT_ALLOCATED);
                    final UnsafeBuffer buffer = log.buffer(log.logicalSegment(record));
                    final int offset = log.offset(record);
                    buffer.putLong(offset + LENGTHS_OFFSET, lengths);
                    registry.announceHeaderWritten(registrySlot, record);
                    StallInjection.at(StallInjection.PUT_HEADER_WRITTEN);
                    // The keeping mode writes (and notes) the replaced version's expiry just before
                    // its CAS; noting the ignored argument here left a note no record carries, and
                    // a full store compacted for it (review).
                    final long writtenExpiry = mode == PUT_IF_VERSION_KEEPING_EXPIRY ? 0 : expiresAtMillis;
                    buffer.putLong(offset + EXPIRES_AT_OFFSET, writtenExpiry);
                    reclaimer.noteExpiry(record, writtenExpiry);
                    buffer.putBytes(offset + HEADER_LENGTH, key, keyOffset, keyLength);
                    buffer.putBytes(offset + HEADER_LENGTH + keyLength, value, valueOffset, valueLength);
                    continue; // allocation may have reclaimed: walk again before linking
                }
                final UnsafeBuffer buffer = log.buffer(log.logicalSegment(record));
                final int offset = log.offset(record);
                buffer.putLong(offset + PREVIOUS_OFFSET, previous);
                buffer.putLong(offset + VERSION_OFFSET, version);
                if (mode == PUT_IF_VERSION_KEEPING_EXPIRY)
                {
                    // The expiry of the version this CAS replaces: a touch since makes the CAS fail.
                    buffer.putLong(offset + EXPIRES_AT_OFFSET, presentUntil);
                    reclaimer.noteExpiry(record, presentUntil);
                }
                if (found != 0)
                {
                    markSuperseded(found, context.foundLengthsWord);
                }
                registry.announceLinking(registrySlot, record); // full fence before the check (see OperationRegistry)
                if (!linkable(record))
                {
                    abandon(record); // passed by a forced reclaim while this thread was descheduled
                    record = 0;
                    continue;
                }
                StallInjection.at(StallInjection.PUT_BEFORE_LINK);
                if (expiredSince(presentUntil))
                {
                    continue; // decided on an entry that has expired since: decide again
                }
                if (index.compareAndSetHead(slot, head, record))
                {
                    StallInjection.at(StallInjection.PUT_LINKED);
                    final long linked = record;
                    record = 0; // linked: nothing to abandon if the bookkeeping below throws
                    Counters.increment(context.counters, Counters.PUTS);
                    Counters.add(context.counters, Counters.LIVE_BYTES,
                        recordLength - (found != 0 ? recordBytes(context.foundLengthsWord) : 0));
                    if (found == 0 || (flags(context.foundLengthsWord) & FLAG_TOMBSTONE) != 0)
                    {
                        Counters.increment(context.counters, Counters.ENTRIES);
                    }
                    else if (!present)
                    {
                        // It replaces an expired entry that was still counted: one expiry, no new entry.
                        Counters.increment(context.counters, Counters.EXPIRATIONS);
                    }
                    if (found != 0 && (flags(context.foundLengthsWord) & FLAG_TOMBSTONE) == 0)
                    {
                        reclaimer.superseded(found); // a tombstone was counted as garbage when its remove linked it
                    }
                    if (advisor != null)
                    {
                        advisor.recordWrite(hash, recordLength, context.homeSlot);
                    }
                    reclaimer.relocateIfLinkedLate(registrySlot, context, linked);
                    return version;
                }
            }
        }
        catch (final RuntimeException | Error e)
        {
            // A caller's buffer that throws mid-write leaves a record allocated and unlinked: flag it,
            // or reclaim would take it for its key's newest version (RecordDescriptor's S bit).
            abandon(record);
            throw e;
        }
        finally
        {
            exit(registrySlot);
        }
    }

    private static int refusal(
        final int mode, final boolean present, final boolean found, final long foundVersion, final long expectedVersion)
    {
        switch (mode)
        {
            case PUT_ALWAYS:
                return 0;
            case PUT_IF_ABSENT:
                return present ? Status.EXISTS : 0;
            case PUT_IF_PRESENT:
                return present ? 0 : Status.MISS;
            case PUT_RESTORE:
                // Against any version found, live or not: a newer tombstone is a newer remove, and a
                // newer expired version a newer write. Checking live ones only brought back a key
                // removed after the snapshot, and wrote a version below one already given out, so a
                // later put reused a version (found by review).
                return found && foundVersion >= expectedVersion ? Status.VERSION_MISMATCH : 0;
            case PUT_IF_VERSION:
            case PUT_IF_VERSION_KEEPING_EXPIRY:
                if (!present)
                {
                    return Status.MISS;
                }
                return foundVersion == expectedVersion ? 0 : Status.VERSION_MISMATCH;
            default:
                throw new IllegalArgumentException("mode=" + mode);
        }
    }

    /**
     * Versions grow per key and follow the clock (milliseconds << 20), so a key removed and written
     * again does not reuse a version a client may still hold.
     */
    long nextVersion(final long oldVersion)
    {
        return Math.max(versionAfter(Math.max(oldVersion, versionFloor.get())), clock.time() << 20);
    }

    /**
     * The version after {@code version}, stopping at {@code Long.MAX_VALUE}: a restore of it made
     * the next put's (and a remove's tombstone's) version wrap below it, so a stale restore won
     * (found by review). Only the general put's {@link #PUT_RESTORE} can write a version that high
     * ({@code FerriteCache.restore} stops at {@link #MAX_RESTORE_VERSION}, leaving 2^62 writes of
     * room); there a key keeps that version for later writes, and once it is retired every key does:
     * compare-and-set can then not tell their writes apart.
     */
    static long versionAfter(final long version)
    {
        return version == Long.MAX_VALUE ? version : version + 1;
    }

    /**
     * Called before an entry of this version stops being reachable (remove, eviction, expiry), so
     * any later write of the same key gets a higher version. Lock-free; writes only when it raises.
     */
    void retireVersion(final long version)
    {
        long floor;
        while (version > (floor = versionFloor.get()))
        {
            if (versionFloor.compareAndSet(floor, version))
            {
                return;
            }
        }
    }

    /**
     * Sets {@link dev.ferrite.engine.log.RecordDescriptor#SUPERSEDED_BIT} on a record that a newer
     * version is about to replace; called before the index CAS that links the newer version (see
     * RecordDescriptor). {@code validatedLengths} is its first word as read while its segment was
     * current: if the segment was reused since, the word differs and nothing is written (a
     * coincidental match flags a foreign record, which only sends reclaim down its chain walk).
     * Lock-free: a failed CAS means a reader or reclaimer set another in-place bit.
     */
    void markSuperseded(final long record, final long validatedLengths)
    {
        final UnsafeBuffer buffer = log.buffer(log.logicalSegment(record));
        final int offset = log.offset(record);
        final long fixedBits = validatedLengths & ~IN_PLACE_BITS;
        while (true)
        {
            final long word = buffer.getLongVolatile(offset);
            if ((word & ~IN_PLACE_BITS) != fixedBits || (word & SUPERSEDED_BIT) != 0)
            {
                return;
            }
            if (buffer.compareAndSetLong(offset, word, word | SUPERSEDED_BIT))
            {
                return;
            }
        }
    }

    /**
     * Checked by a writer right before the index CAS that would link its own new record: false when
     * a forced reclaim passed the record while this thread was descheduled for a whole lap (it flagged
     * the record superseded, or has finished its segment). Linking it would publish a record whose
     * segment is being reclaimed; the writer abandons it and writes again at the tail. A writer
     * descheduled for that long between this check and its CAS is covered by the LINKING
     * announcement made just before the check: the reclaim that passes its record fences its slot
     * first, so the CAS fails ({@link LinkFences}). Only where a fence finds no room does the late
     * CAS still win: with eviction on that reads as an eviction of the value it wrote; with
     * eviction off its segment is deferred, and the record is relocated.
     */
    boolean linkable(final long record)
    {
        // OPEN, not merely this lap: a writer whose segment is being reclaimed (or deferred) stalled
        // for a lap, and the walk may already have passed its record without seeing it linked; it
        // writes again at the tail instead. A check made while OPEN, then a preemption until the
        // walk has passed, is caught by the fence (see above; Reclaimer, known limit (3)).
        final long segment = log.logicalSegment(record);
        return (log.buffer(segment).getLongVolatile(log.offset(record)) & SUPERSEDED_BIT) == 0 &&
            log.table().stateAcquire(log.physical(segment)) == SegmentTable.state(segment, SegmentTable.PHASE_OPEN);
    }

    /** A record allocated but never linked: unreachable, so reclaim drops it. */
    private void abandon(final long record)
    {
        if (record > 0)
        {
            reclaimer.abandoned(record);
        }
    }

    /**
     * Removes a key, if {@code expectedVersion} is 0 or matches. Lock-free.
     *
     * @return the removed version, {@link Status#MISS} or {@link Status#VERSION_MISMATCH}.
     */
    public long remove(final DirectBuffer key, final int keyOffset, final int keyLength, final long expectedVersion)
    {
        final int keyCheck = checkKey(key, keyOffset, keyLength);
        if (keyCheck != 0)
        {
            return absentWhenTooLong(keyCheck);
        }
        return remove(hash(key, keyOffset, keyLength), key, keyOffset, keyLength, expectedVersion);
    }

    /** As {@link #remove(DirectBuffer, int, int, long)}, for a key already checked and hashed. */
    long remove(final long hash, final DirectBuffer key, final int keyOffset, final int keyLength, final long expectedVersion)
    {
        final OperationContext context = context();
        final int registrySlot = enter(context);
        long tombstone = 0;
        try
        {
            final int slot = index.slotFor(hash);
            while (true)
            {
                final long head = index.headAcquire(slot);
                final long found = findKey(context, slot, head, key, keyOffset, keyLength);
                if (found == RESTART)
                {
                    continue;
                }
                // An expired entry still linked is unlinked too (answering MISS), so it stops
                // counting as an entry now rather than when its segment is reclaimed.
                final boolean expired = found != 0 && (flags(context.foundLengthsWord) & FLAG_TOMBSTONE) == 0 &&
                    !isLive(context, now(context));
                if (found == 0 || (!expired && !isLive(context, 0)) || (expired && expectedVersion != 0))
                {
                    abandon(tombstone);
                    return Status.MISS;
                }
                final long version = context.foundVersion;
                final long foundLengths = context.foundLengthsWord;
                final long presentUntil = expired ? 0 : context.foundExpiresAtMillis;
                if (expectedVersion != 0 && version != expectedVersion)
                {
                    abandon(tombstone);
                    return Status.VERSION_MISMATCH;
                }
                retireVersion(versionAfter(version)); // before the entry can disappear, so no re-insert reuses it
                if (tombstone == 0 || tombstone < head)
                {
                    abandon(tombstone);
                    tombstone = 0; // as in put: never abandoned twice
                    tombstone = log.allocate(registrySlot, recordLength(keyLength, 0), SegmentLog.WRITE, reclaimer);
                    if (tombstone == Status.FULL)
                    {
                        // Only on a full store: normally relocations keep the whole reserve.
                        tombstone = log.allocate(registrySlot, recordLength(keyLength, 0), SegmentLog.TOMBSTONE, reclaimer);
                    }
                    if (tombstone < 0)
                    {
                        return tombstone;
                    }
                    final UnsafeBuffer buffer = log.buffer(log.logicalSegment(tombstone));
                    final int offset = log.offset(tombstone);
                    buffer.putLong(offset + LENGTHS_OFFSET,
                        lengthsWord(keyLength, RoutingSlot.slot(key, keyOffset, keyLength), 0, FLAG_TOMBSTONE));
                    registry.announceHeaderWritten(registrySlot, tombstone);
                    buffer.putLong(offset + VERSION_OFFSET, versionAfter(version));
                    buffer.putLong(offset + EXPIRES_AT_OFFSET, 0);
                    buffer.putBytes(offset + HEADER_LENGTH, key, keyOffset, keyLength);
                    continue;
                }
                final UnsafeBuffer buffer = log.buffer(log.logicalSegment(tombstone));
                buffer.putLong(log.offset(tombstone) + PREVIOUS_OFFSET, head);
                markSuperseded(found, foundLengths);
                registry.announceLinking(registrySlot, tombstone);
                if (!linkable(tombstone))
                {
                    abandon(tombstone); // passed by a forced reclaim while this thread was descheduled
                    tombstone = 0;
                    continue;
                }
                StallInjection.at(StallInjection.REMOVE_BEFORE_LINK);
                if (expiredSince(presentUntil))
                {
                    continue; // it expired since: an expired entry is unlinked as such, answering MISS
                }
                if (index.compareAndSetHead(slot, head, tombstone))
                {
                    final long linked = tombstone;
                    tombstone = 0; // handed over: abandoned below, not again by the catch
                    Counters.add(context.counters, Counters.LIVE_BYTES, recordLength(keyLength, 0) - recordBytes(foundLengths));
                    removed(context, found, expired, hash);
                    reclaimer.abandoned(linked); // the tombstone itself is garbage once older versions go
                    return expired ? Status.MISS : version;
                }
            }
        }
        catch (final RuntimeException | Error e)
        {
            abandon(tombstone); // as in put: a throwing caller buffer leaves no unflagged record
            throw e;
        }
        finally
        {
            exit(registrySlot);
        }
    }

    private void removed(final OperationContext context, final long record, final boolean expired, final long hash)
    {
        Counters.increment(context.counters, expired ? Counters.EXPIRATIONS : Counters.REMOVES);
        Counters.add(context.counters, Counters.ENTRIES, -1);
        reclaimer.superseded(record);
        if (advisor != null)
        {
            advisor.recordRemove(hash, context.homeSlot);
        }
    }

    /**
     * Sets a new expiry on a present key, keeping its value and version. Lock-free. With eviction
     * off, FULL also when making room for the copy moved the record itself
     * {@value #MAX_TOUCH_SOURCE_MOVES} times (a store too full to hold the record twice).
     *
     * @return the version, {@link Status#MISS}, {@link Status#INVALID_TTL} or {@link Status#FULL}.
     */
    public long touch(final DirectBuffer key, final int keyOffset, final int keyLength, final long expiresAtMillis)
    {
        final int keyCheck = checkKey(key, keyOffset, keyLength);
        if (keyCheck != 0)
        {
            return absentWhenTooLong(keyCheck);
        }
        return touch(hash(key, keyOffset, keyLength), key, keyOffset, keyLength, expiresAtMillis);
    }

    /** As {@link #touch(DirectBuffer, int, int, long)}, for a key already checked and hashed. */
    long touch(final long hash, final DirectBuffer key, final int keyOffset, final int keyLength, final long expiresAtMillis)
    {
        if (expiresAtMillis < 0)
        {
            return Status.INVALID_TTL;
        }
        final OperationContext context = context();
        final int registrySlot = enter(context);
        try
        {
            final int slot = index.slotFor(hash);
            int sourceMoves = 0;
            while (true)
            {
                final long head = index.headAcquire(slot);
                final long found = findKey(context, slot, head, key, keyOffset, keyLength);
                if (found == RESTART)
                {
                    continue;
                }
                if (found == 0 || !isLive(context, now(context)))
                {
                    return Status.MISS;
                }
                final long version = context.foundVersion; // copyRecord's allocation may reuse the context
                final long copy = reclaimer.copyRecord(registrySlot, context, slot, head, found, expiresAtMillis, false);
                if (copy == Status.FULL)
                {
                    return Status.FULL;
                }
                if (copy > 0)
                {
                    return version;
                }
                // The copy is allocated room for before it is written, so the allocation can reclaim
                // the record's own segment and move it: with eviction off, on a store too full to hold
                // both, every retry compacted a whole lap to make room and moved the record again, for
                // ever (found by review: a touch that never returned). Moved that often, there is no
                // room for the copy. With eviction on the record is evicted instead, or the move was a
                // relocation that let other writes through: the stalled-threads test saw touches moved
                // three times in a row there, on a 128 KiB store lapping every few hundred writes.
                if (!config.evictionEnabled() && !log.isCurrent(log.logicalSegment(found)) &&
                    ++sourceMoves >= MAX_TOUCH_SOURCE_MOVES)
                {
                    return Status.FULL;
                }
            }
        }
        finally
        {
            exit(registrySlot);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Introspection.

    /**
     * Weakly consistent scan of index slots {@code [fromIndexSlot, toIndexSlot)}; see {@link Scanner}.
     *
     * @param routingSlot a routing slot to filter on, or -1 for all entries.
     * @return the index slot to resume from.
     */
    public long scan(final long fromIndexSlot, final long toIndexSlot, final int routingSlot,
        final dev.ferrite.engine.EntryVisitor visitor)
    {
        if (visitor == null)
        {
            throw new NullPointerException("visitor");
        }
        if (closed)
        {
            throw new IllegalStateException("cache is closed");
        }
        if (fromIndexSlot < 0 || fromIndexSlot > toIndexSlot || fromIndexSlot > index.slotCount())
        {
            // Checked against the slot count before the scan narrows it to an int: a slot past 2^31
            // wrapped to a negative index offset, read off-heap out of bounds (a crash with Agrona's
            // bounds checks turned off; found by review).
            throw new IllegalArgumentException("fromIndexSlot=" + fromIndexSlot + " toIndexSlot=" + toIndexSlot +
                " indexSlotCount=" + index.slotCount());
        }
        return Scanner.scan(this, fromIndexSlot, toIndexSlot, routingSlot, visitor);
    }

    public long indexSlotCount()
    {
        return index.slotCount();
    }

    public dev.ferrite.engine.CacheStats stats()
    {
        final OperationContext context = context();
        final int registrySlot = enter(context);
        try
        {
            return new dev.ferrite.engine.CacheStats(
                counters.sum(Counters.HITS), counters.sum(Counters.MISSES), counters.sum(Counters.PUTS), counters.sum(Counters.REMOVES),
                counters.sum(Counters.EVICTIONS), counters.sum(Counters.EXPIRATIONS), counters.sum(Counters.RELOCATIONS),
                entryCount(), log.bytesInUse(), config.capacityBytes(), memory.length());
        }
        finally
        {
            exit(registrySlot);
        }
    }

    /** Bytes a record with this first word occupies. */
    static int recordBytes(final long lengths)
    {
        return recordLength(keyLength(lengths), valueLength(lengths));
    }

    /** Bytes of newest-version records, summed over threads: approximate during traffic. */
    long liveBytes()
    {
        return counters.sum(Counters.LIVE_BYTES);
    }

    public long entryCount()
    {
        return Math.max(0, counters.sum(Counters.ENTRIES));
    }
}
