package dev.ferrite.engine.core;

import dev.ferrite.engine.Status;
import dev.ferrite.engine.eviction.KeepPolicyAdvisor;
import dev.ferrite.engine.hash.KeyHash;
import dev.ferrite.engine.log.OperationRegistry;
import dev.ferrite.engine.log.SegmentLog;
import dev.ferrite.engine.log.SegmentTable;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.atomic.AtomicLong;

import static dev.ferrite.engine.log.RecordDescriptor.*;
import static dev.ferrite.engine.log.SegmentTable.PHASE_DEFERRED;
import static dev.ferrite.engine.log.SegmentTable.PHASE_OPEN;
import static dev.ferrite.engine.log.SegmentTable.PHASE_QUARANTINED;
import static dev.ferrite.engine.log.SegmentTable.PHASE_RECLAIMING;

/**
 * Gives space back by reclaiming the oldest segment of the log, and decides which of its records
 * survive: the eviction policy.
 *
 * <h2>Policy: CLOCK over the log, a frequency gate chosen by shadow simulations, and a keep budget</h2>
 * A log is a FIFO. When the oldest segment is reclaimed, each record in it that is still the
 * newest version of its key and not expired is either copied to the tail (kept) or dropped
 * (evicted). It is worth keeping when it was read since it was written or last moved (its
 * reference bit, set by the first hit: CLOCK, which tracks LRU closely), or when the TinyLFU
 * frequency sketch says its key was used at least {@code keepFrequency} times recently. A
 * {@link KeepPolicyAdvisor} sets that threshold: it replays this policy on a hash-sampled share of
 * the workload at each candidate threshold (never: pure CLOCK; or 1, 2, 4) and follows the one with
 * the most hits lately: never on recency-friendly workloads, a low one on loops and scans that defeat
 * LRU, where it keeps a stable, frequently used set while one-hit keys pass through.
 *
 * <pre>
 *   head (oldest segment)                                                  tail
 *   [ r1 r2 r3 ][ .......... ][ .......... ][ .......... ][ copies of r1 r3 | new writes -> ]
 *     |  |  '-- read in its lap (reference bit): copied to the tail, bit cleared
 *     |  '----- not read, sketch frequency < keepFrequency: evicted
 *     '-------- not read, frequency >= keepFrequency: copied
 *   every copy is paid from the keep budget: 95% of each reclaimed segment, carried over up to
 *   two segments; a record worth keeping that finds the budget empty is evicted
 * </pre>
 *
 * A write that has reclaimed a whole lap without finding room asks for an urgent reclaim: it
 * evicts whatever was not read in its lap and keeps read records only up to half of what it walks,
 * whatever the pressure, so the write cannot starve when copies pack badly into the tail.
 *
 * The budget guarantees that every lap frees space for new keys (without it a loop's whole
 * working set would be kept and nothing new admitted), and carrying it over lets segments that hold
 * only a few records keep some of them: a per-segment cap rounds down to nothing there. Measured
 * on the traces in {@code shared/traces} (bench module, {@code HitRatioMain}, 16 traces x 3
 * sizes): average 47.6% for the earlier fixed rule, 54.2% with a hill-climbed threshold (below LRU
 * by up to 8 points in 18 rows), 54.9% with the advisor (below LRU in 15 rows, by 2.3 points at
 * most), 55.3% with a sketch four times wider and four candidate thresholds (below LRU in 15 rows,
 * by 1.1 points at most, on sprite@1000 where Caffeine is 3.8 below), W-TinyLFU (Caffeine) 56.5%,
 * LRU 45.6%. A single FIFO still cannot drop a one-hit key before it has aged
 * through the whole cache, which W-TinyLFU's 1% window does; that needs a second log with its own
 * chains (the chain index assumes one FIFO: reclaiming a segment implicitly truncates every chain
 * that passes through it).
 *
 * <p>A known weakness on loops: when the keep budget, not the frequency gate, decides which kept-worthy
 * record goes, it is the last of a segment walk, and whether those are the newest records (the loop
 * settles into hits) or the next ones the loop reads (no hits) depends on how records pack into
 * segments: a loop of 1,500 keys over a store of 65 usable segments of fifteen 256-byte records gets
 * 44%, with 64 or 66 segments 2-6%. Evicting kept-worthy records at random instead (a hash coin, 2-5%)
 * made loops steady at about 38-41% but cost 3-5 points on average over the traces, so the
 * deterministic rule stays; the advisor's shadows replay it faithfully, so it never picks the
 * frequency gate where the gate does not pay.
 *
 * <p>Eviction happens only under pressure: while the live data (newest versions) stays under
 * {@link #PRESSURE_PERCENT}% of the usable log, reclaim copies every live record, so a log that
 * wraps because of overwrites does not push out live keys.
 *
 * <h2>Concurrency</h2>
 * <pre>
 *   OPEN(L) --CAS--> RECLAIMING(L) --records claimed by CAS on the cursor--> OPEN(L + n)
 *                                                                       \--> QUARANTINED(L + n)
 *   QUARANTINED(M) --CAS--> OPEN(M + n), or QUARANTINED(M + n)      (see Forced reclaim below)
 * </pre>
 * Any thread that needs space helps: it claims the next records (up to {@link #CLAIM_BATCH} with
 * eviction on, one with it off) by one CAS on the segment's cursor (tagged with the segment number;
 * a thread back from a lap-long stall sees the state changed before it may move it) and processes
 * them. A helper that loses the cursor CAS claims from the new cursor without reading again when
 * that is one of the records it read (claimScanned). With eviction on and no pressure, a helper
 * takes the room for its batch's copies with one allocation and copies into it
 * ({@link RelocationRun}): one CAS on the log's shared tail per batch instead of one per copy.
 * The thread that finds the cursor at the end finishes the reclaim. It waits at most
 * {@link #MAX_BATCH_WAIT_NS} for helpers that still hold claimed records (the reclaimed-bytes count
 * is short; a helper may be descheduled for long), and then walks the segment again instead.
 * <ul>
 *   <li>Eviction off: it relocates every record that is still current; a helper's late copy then
 *   loses the index CAS.</li>
 *   <li>Eviction on: each record is <em>settled</em> once per lap, by the thread that wins a CAS
 *   setting its {@code FLAG_SETTLED}: only that thread counts it (evicted, expired) or links a copy
 *   of it. The finisher settles, in place of the helpers, every record nobody has settled. Helpers
 *   that may still link a copy are counted (the segment table's settling count: a helper counts
 *   once from its first settle that may copy to the end of its batch; the finisher, per record):
 *   the finisher gives them up to {@link #MAX_SETTLER_WAIT_NS} to link their copies, then
 *   finishes anyway. A settler that then finds the segment finished, or marked finishing while
 *   its record is still the key's newest version, counts its record as evicted.</li>
 * </ul>
 * <pre>
 *   helper:   claim a batch (cursor CAS) -> per record: find the key, settle (flag CAS; settling +1
 *             before the first that may copy), count, or copy and link -> settling -1, reclaimed bytes + batch
 *   finisher: cursor at the end -> walk: settle and process every record not settled
 *             -> settling == 0, or 20 ms passed -> OPEN(L + n)
 * </pre>
 * So a descheduled helper delays the writes that need its segment by 20 ms at most (only if it was
 * descheduled inside a batch after settling a record it may copy), and never makes them fail.
 * <p><b>Forced reclaim.</b> A writer announced inside the segment (it allocated there and stalled
 * for a whole lap of the log) may still write into its record, so reclaimHead answers WRITER_INSIDE
 * and the write that needs space yields. After {@code SegmentLog.FORCE_RECLAIM_AFTER_NS} (2 ms) it
 * asks again with {@code force}, and with eviction on the reclaim goes on without the writer
 * ({@link StalledWriters} reads the registry):
 * <pre>
 *   first word written:  flag the stalled record SUPERSEDED -> the walk steps over it, checks its
 *                        chain, and drops it unless it was already linked
 *   first word not:      the walk stops at the lowest such record (it cannot read its length); the
 *                        records behind it are found through the index (settleThroughIndex)
 *   walk, settle, copy as usual
 *   finish: RECLAIMING(L) -> QUARANTINED(L + n) while the writer stays announced, else OPEN(L + n)
 *   writer resumes: its record is flagged or its segment gone (Store.linkable) -> abandons it and
 *   writes again at the tail, so its announcement leaves; the next lap opens the memory again
 * </pre>
 * With eviction off nothing may be dropped, and a record its writer links after the walk passed it
 * (limit (3) below) would be a lost write, so the segment is deferred instead of quarantined: it
 * keeps its lap number, so its records stay readable and linkable, and it is reclaimed again, its
 * late records relocated, when the head comes round to it and the writer has left:
 * <pre>
 *   finish: RECLAIMING(L) -> DEFERRED(L)              (whether or not the writer is still there)
 *   writer's CAS wins late: it finds its segment not OPEN -> relocates its record to the tail
 *   (relocateIfLinkedLate), before a newer segment in its chain is reclaimed and cuts the chain
 *   head at L + kn: writer still there -> head moves on; gone -> walk L again, relocate what is
 *   still current (a late record the writer could not move: no room) -> OPEN(L + (k+1)n)
 *   a write finds no room and compaction cannot make any (its copies have nowhere to go): every
 *   deferred segment in front of the tail whose writer has gone is walked and opened now
 *   (reopenDeferredAhead), without waiting for the head
 * </pre>
 * The tail steps over quarantined and deferred segments, and writes other than relocations leave as
 * many more segments free as are set aside (SegmentTable.setAsideSegments): the room kept for
 * relocations must be open segments. Without both, two deferrals in a row (two writers stalled at
 * once, or one whose allocation moved the tail on) filled that room with deferred segments and
 * their copies, compaction of the next segment found nowhere to copy to, and every write was
 * refused FULL for good, long after the writers had left (the stalled-threads model test in
 * {@code stress} found it). Copies are validated against the source
 * segment's state before they are linked, so a late copy of reused memory is never published.
 *
 * <p><b>Link fences.</b> A writer announces LINKING (a full fence) right before its last check
 * and its index CAS. A forced reclaim, after it has flagged the stalled records and before it
 * walks, and a finisher that gave up waiting for a settling helper, before it finishes, link a
 * fence into the index slot of every LINKING writer concerned ({@link LinkFences}): a tombstone of
 * a key never looked up there, so it changes nothing but the head. A slot's head only moves forward
 * (see Store), so the writer's CAS, made against a head it loaded earlier, then fails, and it
 * writes again at the tail. Before fences, both cases linked a record the walk had decided about:
 * with eviction on, a key read as missing and came back (an eviction undone), or a put's value read
 * as evicted at once with {@code entries} one too high; the stalled-threads test hit both within
 * seconds.
 *
 * <p>Known limits. (1) With eviction on, a finisher that gave up waiting for a settling helper
 * marks the segment finishing ({@code SegmentTable.markFinishing}) and then fences every LINKING
 * writer before its state CAS. A helper re-checks the mark after its LINKING announcement: if it
 * sees the mark it drops its copy and counts its record evicted; if not, the fence's scan sees it
 * LINKING and its CAS fails. Before the mark (found by review), a helper the fence made fail retried
 * at once, with the source still current, and could link its copy after the finisher's CAS: the key
 * read as missing for a moment, and no stall was needed for that. A fence that finds no room (the
 * reserved segments full), or a store of one index slot, fences nothing, and a helper that had
 * re-checked before the mark can still link late (and (3)). After a 20 ms wait, the finisher fences
 * every LINKING writer in the store, ordinary puts included (each then writes again): bounded, and
 * only after such a wait. (2) A record dropped by reclaim stays
 * readable until its segment is reused; a write or touch that finds it in that window keeps the key
 * alive after its eviction was counted, so {@code entries} can run a few below the truth (never
 * above it, but for (3)). Likewise a helper that settled a record and finds its segment already
 * finished counts it evicted even if a write replaced it meanwhile (that write counted it too): the
 * reused bytes no longer tell. (Marked finishing, the segment is still readable, and the helper
 * counts only a record still its key's newest.) And a put or remove that allocated before a
 * reclaim dropped an expired record, and finds that record while its segment is still being
 * reclaimed, counts its expiry a second time ({@code entries} one low; found by review). These add
 * up: in the stress module's model test run for 60 s (eviction off, a reclaim agent running ahead,
 * entries with short TTLs: 560,000 expirations), {@code entries} ended at 361-379 against 621-741
 * live and expired entries (known since 2026-12-04; the CI run's fixed 40 rounds stay inside its
 * bounds). Closing it needs one arbiter per record for who counts its exit, which a drop that leaves
 * the record linked does not give: a counted-out mark that writers can take only while the record's
 * memory cannot be reused. (3) Closed by link fences except where a fence finds no room. Without
 * one: a writer passed by a forced reclaim whose index CAS comes after the walk decided about its
 * record, though its {@code Store.linkable} check came before the flag, links a record the walk
 * dropped or never saw:
 * its value is readable until the segment is finished and then reads as evicted (nothing else is
 * lost: everything older in that chain is in that segment or older ones, or the CAS would have
 * failed). The live-bytes statistic stays too high by the record's length, and {@code entries} by
 * one if the key had no live entry before. With eviction off that would be a lost write, which is
 * why eviction off defers instead. (4) Each stalled writer sets one segment aside, two if its
 * allocation moved the tail on before its first word (the filler it owes and its record's
 * segment): enough of them at once leave no segment to write in (four are needed), and writes get
 * FULL until they resume. With eviction off the room kept for relocations (two segments) also
 * pays for the copies each deferral makes before the head can free anything: more deferrals in a
 * row than it absorbs (writers stalled in adjacent segments) make writes FULL until one of those
 * writers resumes. (The stalled-threads test, two of four threads asleep at once, saw single FULLs
 * while every tombstone could use that room; with tombstones taking it only on a full store, none
 * in its runs since.) Each thread that forces a reclaim past a writer stalled before its first
 * word makes its own pass over the index, a read of every record newer than the segment: seconds
 * on a store of tens of millions of entries, paid only in that rare stall. (5) With
 * eviction off, the garbage count that tells compaction whether a lap can free anything drifts
 * by a few records per forced reclaim (garbage behind a writer stalled before its first word that
 * no chain reaches is never counted out; a late record is counted out as garbage and then kept):
 * too high, a write on a truly full store does a lap of compaction before FULL; too low, it gets
 * FULL with a few hundred bytes of garbage left. (6) With eviction off, a late-linking writer
 * that stalls for another lap between its CAS and relocating its record (or finds no room to), while
 * a key sharing its chain is written and that segment reclaimed, loses the record: the chain is cut
 * above it. (7) A thread descheduled for a lap between reclaimDeferred's head check and its state
 * CAS would open the segment for a lap the tail has passed, and the tail would stop there until the
 * head came round. The same holds between reopenDeferredAhead's tail check and its CAS (the tail
 * steps over the deferred segment meanwhile); there the head, when it reaches the segment, walks
 * the deferred lap's leftover bytes as if they were its own records: they count as garbage (the
 * estimate runs low by up to a segment), and one that is neither superseded nor a tombstone (a
 * record lost to (6)) would be relocated as current (found by review; a two-step CAS through a
 * state the tail can neither enter nor step over would close it). The set-aside count is updated
 * right after the state CAS, not with it: a thread descheduled in between leaves it one off for
 * that time (one segment of reserve too many or too few). (8) With eviction off, expired records
 * count toward the gate through their segment's earliest expiry ({@link ExpiryWatch}), which is
 * cleared when reclaim starts the segment's lap. A deferred segment keeps its records past that, so
 * the expiries of the records left in it are not noted: if they alone had expired, a write on an
 * otherwise full store would get FULL until garbage (an overwrite, a remove) let compaction move the
 * head round to the segment. Likewise a thread descheduled for a lap between its CAS to RECLAIMING
 * and clearing the note would clear the next lap's. The opposite errors (a note earlier than any
 * record it covers: a reopened deferred segment keeps its old one, a retried write notes again) only
 * open the gate early, for compaction up to that segment.
 */
final class Reclaimer implements SegmentLog.SpaceReclaimer
{
    /** Share of each reclaimed segment that copies may fill, in percent: every lap frees space for new keys. */
    static final int KEEP_BUDGET_PERCENT = 95;
    /** How long a finisher gives helpers that may still link copies of records they settled (see awaitSettlers). */
    static final long MAX_SETTLER_WAIT_NS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(20);
    /**
     * How long a helper that found the cursor at the segment's end waits for batches other helpers
     * claimed before it walks the segment again in their place (see awaitClaimedBatches).
     */
    static final long MAX_BATCH_WAIT_NS = java.util.concurrent.TimeUnit.MICROSECONDS.toNanos(200);
    /** Unused keep budget carries over, up to this many segments' worth. */
    static final int KEEP_BUDGET_CARRY_SEGMENTS = 2;

    // Slots of OperationContext.reclaimTally, this thread's view of the segment it helps reclaim.
    static final int TALLY_COPIED = 0;
    static final int TALLY_WALKED = 1;
    static final int TALLY_KEEP_FREQUENCY = 2;
    static final int TALLY_UNDER_PRESSURE = 3;
    /** 1 when the write that asked has reclaimed a lap without room: keep only read records, under half of the walk. */
    static final int TALLY_URGENT = 4;
    /** Tail room this thread's copies took, filler share included (KeepBudget.copyCost): ReclaimAgent's gain, counted only in Store.reclaimAhead. */
    static final int TALLY_COPY_COST = 5;
    static final int TALLY_LENGTH = 6;
    static final int URGENT_KEEP_PERCENT = 50;
    /**
     * Most records a helper claims with one CAS on the segment's cursor. Each claim, and the settling
     * count around the records' copies, is a CAS on the segment table's line that every helper of the
     * segment writes: claimed one record at a time, those were four of a put's contended CASes per
     * relocation (3.25 relocations a put). PutProbe, 2 threads, 2 MiB segments: 1.23x the puts with 8
     * records a claim, 1.41-1.63x with 128 (bench/reports/data/2026-12-02-claim-batch).
     */
    static final int CLAIM_BATCH = 128;
    /**
     * A claim also stops past 1/16 of the segment, so that small segments (the stress tests' 4 KiB)
     * are still shared by several helpers and their interleavings stay tested.
     */
    static final int CLAIM_SEGMENT_SHARE = 16;

    private final Store store;
    private final StalledWriters stalledWriters;
    private final SegmentLog log;
    private final SegmentTable table;
    private final boolean evictionEnabled;
    private final int segmentBytes;
    /** Live bytes above which reclaim evicts; below it, reclaim only compacts. */
    private final long pressureBytes;
    static final int PRESSURE_PERCENT = 85;
    /** Bytes of unreachable records in the log; tracked only with eviction off, to know when compaction helps. */
    private final AtomicLong garbageBytes = new AtomicLong();
    /** Eviction off: whether an expired record may be waiting in the log (compaction would free it). */
    private final ExpiryWatch expiryWatch;
    private final LinkFences linkFences;
    /** What copies may still take under pressure; see the keep budget above. */
    private final KeepBudget keepBudget;
    /** A claim stops once it covers this many bytes (one record at least). */
    private final int claimBytes;
    /**
     * Records per claim: CLAIM_BATCH with eviction on, one with eviction off. Off, the finisher does
     * not wait for helpers, and a helper whose segment is finished under it leaves its claimed records
     * uncounted (their garbage bytes stay counted, which keeps compaction going where it frees
     * nothing): per record that window is a microsecond, per batch it would be the whole batch.
     */
    private final int claimLimit;
    /** Null with eviction off. */
    private final KeepPolicyAdvisor advisor;
    private final ClaimedBatchWarmer warmer;

    Reclaimer(final Store store)
    {
        this.store = store;
        this.stalledWriters = new StalledWriters(store);
        this.log = store.log;
        this.table = log.table();
        this.expiryWatch = new ExpiryWatch(log, store.clock);
        this.evictionEnabled = store.config.evictionEnabled();
        this.segmentBytes = log.segmentBytes();
        this.pressureBytes = usableBytes(log) / 100 * PRESSURE_PERCENT;
        this.keepBudget = new KeepBudget(segmentBytes, KEEP_BUDGET_PERCENT, KEEP_BUDGET_CARRY_SEGMENTS);
        this.claimBytes = segmentBytes / CLAIM_SEGMENT_SHARE;
        this.claimLimit = evictionEnabled ? CLAIM_BATCH : 1;
        this.advisor = store.keepAdvisor;
        this.linkFences = new LinkFences(store, this);
        this.warmer = new ClaimedBatchWarmer(log, store.index, store.hashSeed());
    }

    /** True while live data is above the eviction pressure: reclaim evicts there, and only compacts below. */
    boolean underPressure()
    {
        return store.liveBytes() > pressureBytes;
    }

    /** Bytes of the log that live records can fill: less its reserved segments and the one open at the tail. */
    static long usableBytes(final SegmentLog log)
    {
        return (long)usableSegments(log) * log.segmentBytes();
    }

    private static int usableSegments(final SegmentLog log)
    {
        return log.segmentCount() - dev.ferrite.engine.CacheConfig.RESERVED_SEGMENTS - 1;
    }

    /** This log and the rules below, for the advisor's shadows to replay. */
    static KeepPolicyAdvisor.LogShape logShape(final SegmentLog log)
    {
        return new KeepPolicyAdvisor.LogShape(log.segmentBytes(), usableSegments(log),
            dev.ferrite.engine.CacheConfig.RESERVED_SEGMENTS, PRESSURE_PERCENT, KEEP_BUDGET_PERCENT,
            KEEP_BUDGET_CARRY_SEGMENTS, URGENT_KEEP_PERCENT);
    }


    LinkFences linkFences()
    {
        return linkFences;
    }

    /** Eviction off: the estimate of garbage bytes in the log that gates compaction. For tests. */
    long garbageBytes()
    {
        return garbageBytes.get();
    }

    /** For tests. */
    ExpiryWatch expiryWatch()
    {
        return expiryWatch;
    }

    /**
     * Eviction off: a record expiring at {@code expiresAtMillis} (0: never) was written at
     * {@code record}; see {@link ExpiryWatch}. Lock-free; with eviction on, nothing to do.
     */
    void noteExpiry(final long record, final long expiresAtMillis)
    {
        if (!evictionEnabled)
        {
            expiryWatch.note(record, expiresAtMillis);
        }
    }

    void superseded(final long record)
    {
        if (!evictionEnabled)
        {
            final UnsafeBuffer buffer = log.buffer(log.logicalSegment(record));
            garbageBytes.getAndAdd(coveredLength(buffer.getLong(log.offset(record))));
        }
    }

    /**
     * A record this thread allocated and will never link (or a linked tombstone, garbage once older
     * versions go): flagged superseded, so reclaim never takes it for a key's newest version.
     */
    void abandoned(final long record)
    {
        final UnsafeBuffer buffer = log.buffer(log.logicalSegment(record));
        final int offset = log.offset(record);
        store.markSuperseded(record, buffer.getLongVolatile(offset));
        superseded(record);
    }

    @Override
    public int reclaimHead(final int registrySlot, final boolean urgent, final boolean force)
    {
        final long head = log.headSegment();
        final int physical = log.physical(head);
        final long state = table.stateAcquire(physical);
        if (SegmentTable.phaseOf(state) == PHASE_DEFERRED)
        {
            if (SegmentTable.logicalSegmentOf(state) < head)
            {
                return reclaimDeferred(registrySlot, head, state);
            }
            log.advanceHead(head); // deferred by a thread that has not moved the head yet
            return RECLAIMED;
        }
        if (SegmentTable.logicalSegmentOf(state) != head)
        {
            log.advanceHead(head); // finished by another thread that has not moved the head yet
            return RECLAIMED;
        }
        if (head >= log.logicalSegment(log.tail()))
        {
            // Never the segment the tail allocates in (nor a quarantined one it has not stepped over
            // yet): only reachable when quarantines have eaten the ring (as many writers stalled for a
            // lap at once as there are segments less four), and then there is no room until they resume.
            return NOTHING_TO_GAIN;
        }
        if (SegmentTable.phaseOf(state) == PHASE_QUARANTINED)
        {
            // No records: hand the memory to the next lap, or keep it quarantined while the stalled writer stays.
            table.stateCompareAndSet(physical, state, SegmentTable.state(head + log.segmentCount(),
                stalledWriters.mayWriteIn(head) ? PHASE_QUARANTINED : PHASE_OPEN));
            log.advanceHead(head);
            return RECLAIMED;
        }
        if (SegmentTable.phaseOf(state) == PHASE_OPEN)
        {
            if (!evictionEnabled && garbageBytes.get() <= 0 && !expiryWatch.due())
            {
                return NOTHING_TO_GAIN; // compaction would move live data without freeing a byte
            }
            if (table.stateCompareAndSet(physical, state, SegmentTable.state(head, PHASE_RECLAIMING)))
            {
                // Once per segment and lap: only one thread's CAS moves it to RECLAIMING.
                if (evictionEnabled)
                {
                    keepBudget.addSegment();
                }
                else
                {
                    // Its records are about to be dropped or copied (and noted where they land); the
                    // segment's next lap starts a new note. Before the walk, and no writer of the next
                    // lap can be in it yet. (A deferred lap keeps records whose expiries are then not
                    // noted: see known limit (8).)
                    table.clearEarliestExpiry(physical);
                }
            }
        }
        UnsafeApi.fullFence(); // publish RECLAIMING before scanning for writers (Dekker with allocate)
        final int writersInside = stalledWriters.inside(head);
        if (writersInside != StalledWriters.NO_WRITER && !force)
        {
            return WRITER_INSIDE; // a writer stalled inside this segment for a whole lap
        }
        // Where a walk must stop: at the first record whose first word a stalled writer has not written.
        // Taken before the pass: a stalled record below the limit then has its first word written
        // when the pass looks, so it is flagged before this thread's walk reaches it (a record whose
        // writer wrote that word between the pass and a later limit would be copied half-written).
        final int walkLimit = (writersInside & StalledWriters.WRITER_HEADER_UNWRITTEN) != 0 ?
            stalledWriters.walkLimit(head) : segmentBytes;
        if (writersInside != StalledWriters.NO_WRITER)
        {
            stalledWriters.pass(head);
            // Before the walk: a writer that checked it could link before this reclaim began may
            // not link after the walk has decided about its record (known limit (3), now closed).
            linkFences.fenceLinkingWriters(registrySlot, head);
        }

        final UnsafeBuffer buffer = log.buffer(head);
        final long tag = lapTag(head);
        final OperationContext context = store.context();
        final long[] copiedAndWalked = context.reclaimTally;
        copiedAndWalked[TALLY_COPIED] = 0;
        copiedAndWalked[TALLY_WALKED] = 0;
        copiedAndWalked[TALLY_COPY_COST] = 0;
        // Evict only under pressure: while live data is well below the budget, a wrapping log
        // just compacts (copies every live record), so overwrites never push out live keys.
        // An urgent write overrides that: live data under the threshold can still overflow the log
        // when records pack badly (three 1 KiB records leave a quarter of a 4 KiB segment empty).
        copiedAndWalked[TALLY_UNDER_PRESSURE] = urgent || store.liveBytes() > pressureBytes ? 1 : 0;
        if (evictionEnabled)
        {
            advisor.drain();
            copiedAndWalked[TALLY_KEEP_FREQUENCY] = advisor.keepFrequency();
        }
        copiedAndWalked[TALLY_URGENT] = urgent ? 1 : 0;
        while (true)
        {
            final long cursor = table.cursorVolatile(physical);
            if (table.stateAcquire(physical) != SegmentTable.state(head, PHASE_RECLAIMING))
            {
                // Checked before any cursor move: a thread back from a lap-long stall must not reset
                // the cursor of a later lap to its own (the cursor was read first, so while the state
                // still names this lap, the cursor read is of this lap or an earlier one).
                return RECLAIMED;
            }
            if ((cursor & 0xFFFF_FFFF_0000_0000L) != tag)
            {
                table.cursorCompareAndSet(physical, cursor, tag); // first helper of this lap starts it at 0
                continue;
            }
            final int offset = (int)cursor;
            if (offset >= walkLimit)
            {
                break;
            }
            // Claim up to CLAIM_BATCH records with one CAS. The first words read here are this lap's
            // if the CAS wins: the segment can be finished only once the cursor is at its end.
            final int[] claimedOffsets = context.claimedOffsets;
            final long[] claimedWords = context.claimedWords;
            int end = offset;
            int claimed = 0;
            while (claimed < claimLimit && end < walkLimit && end - offset < claimBytes)
            {
                final long lengths = buffer.getLong(end);
                int covered = lengths == 0 ? segmentBytes - end : coveredLength(lengths);
                if (covered <= 0 || covered > segmentBytes - end)
                {
                    covered = segmentBytes - end;
                }
                claimedOffsets[claimed] = end;
                claimedWords[claimed++] = lengths;
                end += covered;
            }
            final int first = claimScanned(physical, tag, cursor, end, claimedOffsets, claimed);
            if (first < 0)
            {
                continue;
            }
            StallInjection.at(StallInjection.RECLAIM_CLAIMED);
            // With eviction on, this thread counts as settling from its first settle that may link a
            // copy to the end of the batch (see settle): one increment and one decrement on the
            // segment's shared line instead of two per record, and none for a helper descheduled
            // before it settled anything.
            context.batchSettlingHeld = false;
            final RelocationRun run = context.relocationRun;
            long wantedBytes = 0;
            for (int i = first; i < claimed; i++)
            {
                wantedBytes += mayBeCopied(claimedWords[i], segmentBytes - claimedOffsets[i]);
            }
            // Not under pressure: there the keep policy drops many claimed records, each leaving its
            // room in the run as filler, and the lost space cost hits (ShadowFidelityTest: 71 k store
            // hits against the shadow's 90 k).
            run.enabled = evictionEnabled && copiedAndWalked[TALLY_UNDER_PRESSURE] == 0;
            warmer.warm(context, buffer, first, claimed);
            final long[] claimedHashes = context.claimedHashes;
            try
            {
                for (int i = first; i < claimed; i++)
                {
                    final long lengths = claimedWords[i];
                    run.wantedBytes = (int)wantedBytes;
                    wantedBytes -= mayBeCopied(lengths, segmentBytes - claimedOffsets[i]);
                    if (lengths != 0 && (flags(lengths) & FLAG_FILLER) == 0 &&
                        !processRecord(registrySlot, context, head, claimedOffsets[i], lengths, claimedHashes[i], copiedAndWalked, true, evictionEnabled))
                    {
                        return NOTHING_TO_GAIN;
                    }
                }
            }
            finally
            {
                run.enabled = false;
                run.close(store.registry, registrySlot);
                if (context.batchSettlingHeld)
                {
                    table.addSettling(physical, head, -1);
                    context.batchSettlingHeld = false;
                }
            }
            table.addReclaimedBytes(physical, tag, end - claimedOffsets[first]);
        }

        if (evictionEnabled && walkLimit == segmentBytes)
        {
            awaitClaimedBatches(physical, head, tag);
        }
        if (!evictionEnabled || table.reclaimedBytesVolatile(physical) != (tag | segmentBytes))
        {
            // Another helper may still hold a claimed record, and may be descheduled for long: walk
            // again instead of waiting for it. With eviction off, relocate every record still current
            // (the helper's late copy then loses the index CAS). With eviction on, settle in its place
            // every record nobody has settled; the helper that comes back finds its record settled.
            for (int offset = 0; offset < walkLimit; )
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
                    !processRecord(registrySlot, context, head, offset, lengths, copiedAndWalked, evictionEnabled, false))
                {
                    return NOTHING_TO_GAIN;
                }
                offset += covered;
            }
        }

        if (walkLimit < segmentBytes && !settleThroughIndex(registrySlot, context, head, walkLimit, copiedAndWalked))
        {
            return NOTHING_TO_GAIN;
        }

        if (evictionEnabled && !awaitSettlers(physical, head))
        {
            return RECLAIMED;
        }
        if (evictionEnabled && table.settlingVolatile(physical, head) > 0)
        {
            // Gave up waiting for a helper that may still link a copy: its CAS must not succeed
            // after the segment is finished. The mark stops every copy that re-checks after it (a
            // helper the fence below made fail retries at once, with the segment still current);
            // the fence stops every copy that had re-checked before it. Its copy is elsewhere, so
            // every LINKING writer is fenced; this runs only after a 20 ms wait.
            table.markFinishing(physical, head);
            linkFences.fenceLinkingWriters(registrySlot, -1);
        }
        // A writer this thread passed may still write into its record: its memory sits out the next
        // lap. With eviction off its lap's records also stay readable, for the record it may link
        // late; whether or not it is still there now, since it may have linked after this walk passed
        // its record and left since (relocating that record is the next lap's job).
        final boolean setAside = writersInside != StalledWriters.NO_WRITER && (!evictionEnabled || stalledWriters.mayWriteIn(head));
        final long finished;
        if (!setAside)
        {
            finished = SegmentTable.state(head + log.segmentCount(), PHASE_OPEN);
        }
        else
        {
            finished = evictionEnabled ?
                SegmentTable.state(head + log.segmentCount(), PHASE_QUARANTINED) : SegmentTable.state(head, PHASE_DEFERRED);
        }
        StallInjection.at(StallInjection.RECLAIM_BEFORE_FINISH);
        table.stateCompareAndSet(physical, SegmentTable.state(head, PHASE_RECLAIMING), finished);
        log.advanceHead(head);
        return RECLAIMED;
    }

    /**
     * Called by a writer right after its index CAS linked {@code record}, while it is still announced
     * there. With eviction off, if the record's segment has left OPEN meanwhile (this thread stalled
     * for a lap between its link check and its CAS, and a forced reclaim passed it), the walk may have
     * passed the record unlinked, and the segment is only deferred: its records stay readable, but it
     * sits below newer segments in every chain, and once one of those is reclaimed, a chain through
     * it is cut above the record (readers take a reclaimed segment for the end of the chain). So the
     * writer relocates its record to the tail now, as a walk would. The common path is one acquire
     * load of the segment's state. With eviction on such a record reads as evicted (known limit (3)).
     */
    void relocateIfLinkedLate(final int registrySlot, final OperationContext context, final long record)
    {
        final long segment = log.logicalSegment(record);
        if (evictionEnabled || table.stateAcquire(log.physical(segment)) == SegmentTable.state(segment, PHASE_OPEN))
        {
            return;
        }
        final UnsafeBuffer buffer = log.buffer(segment);
        final int offset = log.offset(record);
        // Bounded: each retry means another write changed the chain; after that many the record is
        // left to the deferred segment's next lap (as when the copy finds no room).
        for (int attempt = 0; attempt < 64 && log.isCurrent(segment); attempt++)
        {
            final int keyLength = keyLength(buffer.getLongVolatile(offset));
            if (offset + HEADER_LENGTH + (long)keyLength > segmentBytes)
            {
                return;
            }
            final long hash = KeyHash.hash(buffer, offset + HEADER_LENGTH, keyLength, store.hashSeed());
            final int slot = store.index.slotFor(hash);
            final long head = store.index.headAcquire(slot);
            // A match is validated against the segment's state: torn bytes never pass for the record.
            final long found = store.findKey(context, slot, head, buffer, offset + HEADER_LENGTH, keyLength);
            if (found == Store.RESTART)
            {
                continue;
            }
            if (found != record)
            {
                return; // superseded since, or relocated by the walk
            }
            // Read now, validated by findKey: once copyRecord re-announces this thread at the tail,
            // nothing keeps the record's segment from reuse.
            final long lengths = context.foundLengthsWord;
            final long copy = copyRecord(registrySlot, context, slot, head, record, context.foundExpiresAtMillis, true);
            if (copy > 0)
            {
                Counters.increment(context.counters, Counters.RELOCATIONS);
                garbageBytes.getAndAdd(coveredLength(lengths)); // garbage now; the walk that passed it counted it out unlinked
                return;
            }
            if (copy == Status.FULL)
            {
                return;
            }
        }
    }

    /**
     * The head has come round to a segment deferred in lap {@code state}'s (eviction off): once no
     * stalled writer may write there any more, relocates every record still current (a record the
     * writer linked late, after the walk that deferred the segment) and opens the memory for the
     * next lap; until then it stays deferred and the head moves on. Several threads may walk it at
     * once: as in any eviction-off walk, the copy that loses the index CAS is abandoned. Lock-free.
     */
    int reclaimDeferred(final int registrySlot, final long head, final long state)
    {
        final int physical = log.physical(head);
        if (stalledWriters.mayWriteIn(head))
        {
            log.advanceHead(head);
            return RECLAIMED;
        }
        if (!relocateDeferred(registrySlot, physical, state))
        {
            return NOTHING_TO_GAIN;
        }
        // Only while the head still names this lap: a thread that read the head, was descheduled
        // while others moved the head on past later laps of this segment, and came back would
        // otherwise open it for a lap the tail has already stepped over, and the tail would stop
        // there until the head came round (known limit (7): a stall between this check and the CAS
        // still can).
        if (log.headSegment() == head)
        {
            StallInjection.at(StallInjection.DEFERRED_BEFORE_REOPEN);
            table.stateCompareAndSet(physical, state, SegmentTable.state(head + log.segmentCount(), PHASE_OPEN));
            log.advanceHead(head);
        }
        return RECLAIMED;
    }

    /**
     * Eviction off, when a write found no room and reclaiming the head could not make any: opens the
     * deferred segments in front of the tail that no stalled writer can write into any more, for the
     * tail's coming lap, after relocating whatever is still current in them (normally nothing: the
     * walk that deferred one relocated its current records, and a late link relocates itself).
     *
     * <p>Why: a deferred segment gives nothing back until the head comes round to it, while the walk
     * that deferred it has already copied its live records forward, into the room reserved for
     * relocations. Two deferrals in a row (two writers stalled at once, found by the stalled-threads
     * model test in {@code stress}) used up that room; the head's next segment then had live records
     * and nowhere to copy them, so the head could never come round to the deferred segments, whose
     * writers had long left, and every write was refused FULL for good. Lock-free: as
     * {@link #reclaimDeferred}, several threads may walk one segment, and one CAS opens it.
     *
     * @return true if it opened at least one segment.
     */
    @Override
    public boolean reopenDeferredAhead(final int registrySlot)
    {
        if (evictionEnabled)
        {
            return false; // quarantined segments hold no records, and with eviction on relocation never runs out of room
        }
        boolean reopened = false;
        final long lastFree = log.headSegment() + log.segmentCount() - 1;
        for (long segment = log.logicalSegment(log.tail()) + 1; segment <= lastFree; segment++)
        {
            final int physical = log.physical(segment);
            final long state = table.stateAcquire(physical);
            if (SegmentTable.phaseOf(state) != PHASE_DEFERRED || SegmentTable.logicalSegmentOf(state) >= segment ||
                stalledWriters.mayWriteIn(segment) || !relocateDeferred(registrySlot, physical, state))
            {
                continue;
            }
            // Only while the tail has not stepped over it (as reclaimDeferred checks the head).
            if (log.logicalSegment(log.tail()) < segment &&
                table.stateCompareAndSet(physical, state, SegmentTable.state(segment, PHASE_OPEN)))
            {
                reopened = true;
            }
        }
        return reopened;
    }

    /**
     * Walks a deferred segment's lap, relocating every record still current. Its writers have left,
     * so every record's first word is written and the walk can step over all of them. Garbage was
     * counted out by the walk that deferred the segment.
     *
     * @return false when a current record found no room.
     */
    private boolean relocateDeferred(final int registrySlot, final int physical, final long state)
    {
        final long deferred = SegmentTable.logicalSegmentOf(state);
        final UnsafeBuffer buffer = log.buffer(deferred);
        final OperationContext context = store.context();
        final long[] tally = context.reclaimTally;
        java.util.Arrays.fill(tally, 0);
        for (int offset = 0; offset < segmentBytes && table.stateAcquire(physical) == state; )
        {
            final long lengths = buffer.getLong(offset);
            final int covered = lengths == 0 ? 0 : coveredLength(lengths);
            if (covered <= 0 || covered > segmentBytes - offset)
            {
                break;
            }
            if ((flags(lengths) & FLAG_FILLER) == 0 &&
                !processRecord(registrySlot, context, deferred, offset, lengths, tally, false, false))
            {
                return false;
            }
            offset += covered;
        }
        return true;
    }

    /**
     * Settles the records of {@code segment} from {@code fromOffset} on, which no walk can reach: a
     * writer stalled before writing its record's first word sits at or before them, and a walk steps
     * from record to record by that word. They are found through the index instead: every record a
     * chain reaches there is settled and kept or dropped as a walk would (records no chain reaches
     * are superseded or never linked: garbage, as a walk would find). Costs one pass over every
     * chain, a read of every record newer than the segment: only forced reclaims past such a writer
     * (stalled for a lap in the few instructions between its tail CAS and its first word) pay it.
     * Lock-free, as the walk: records are settled by CAS, and a finisher that sees the segment
     * finished by another stops.
     *
     * @return false as {@link #processRecord}.
     */
    private boolean settleThroughIndex(
        final int registrySlot, final OperationContext context, final long segment, final int fromOffset, final long[] tally)
    {
        final long low = log.segmentStart(segment) + fromOffset;
        final long high = log.segmentStart(segment + 1);
        final long reclaiming = SegmentTable.state(segment, PHASE_RECLAIMING);
        final int physical = log.physical(segment);
        for (int slot = 0, slots = Math.toIntExact(store.index.slotCount()); slot < slots; slot++)
        {
            long address = store.index.headAcquire(slot);
            // Chains strictly decrease in address: the part below low is older than these records.
            for (int steps = 0; address >= low && steps < Store.MAX_CHAIN_STEPS; steps++)
            {
                final long recordSegment = log.logicalSegment(address);
                final int offset = log.offset(address);
                if (offset > segmentBytes - HEADER_LENGTH)
                {
                    break; // a torn read of a link
                }
                final UnsafeBuffer buffer = log.buffer(recordSegment);
                final long lengths = buffer.getLongVolatile(offset + LENGTHS_OFFSET);
                final long previous = buffer.getLong(offset + PREVIOUS_OFFSET);
                UnsafeApi.loadLoadFence(); // the record reads happen before the state re-reads
                if (table.stateAcquire(physical) != reclaiming)
                {
                    return true; // finished by another thread
                }
                if (!log.isCurrent(recordSegment))
                {
                    break; // the chain ends in reclaimed memory, or changed under this read
                }
                if (address < high && (flags(lengths) & FLAG_FILLER) == 0 &&
                    !processRecord(registrySlot, context, segment, offset, lengths, tally, evictionEnabled, false))
                {
                    return false;
                }
                if (previous >= address)
                {
                    break;
                }
                address = previous;
            }
        }
        return true;
    }

    /**
     * Gives the helpers still processing their claimed batches a moment to finish them. Without it every
     * helper that ran out of records to claim walked the whole segment again at once, settling the
     * others' claimed records in their place: on 16 cores a fifth of the put path's samples were in
     * that walk and its settle CASes (bench/reports/data/2026-12-04-device-16core). A batch takes tens
     * of microseconds. Bounded: after {@link #MAX_BATCH_WAIT_NS} (a descheduled helper) the walk goes
     * on as before, so no thread waits on another without bound.
     */
    private void awaitClaimedBatches(final int physical, final long head, final long tag)
    {
        long startNs = 0;
        while (table.reclaimedBytesVolatile(physical) != (tag | segmentBytes) &&
            table.stateAcquire(physical) == SegmentTable.state(head, PHASE_RECLAIMING))
        {
            final long nowNs = System.nanoTime();
            if (startNs == 0)
            {
                startNs = nowNs;
            }
            else if (nowNs - startNs > MAX_BATCH_WAIT_NS)
            {
                return;
            }
            Thread.yield();
        }
    }

    /**
     * Gives helpers that settled a record of this segment and may still be copying it a moment to link
     * their copy: finishing under one evicts a record the policy kept (the finishing mark and the link
     * fences keep its copy from being linked after readers saw the key missing).
     * Bounded: after {@link #MAX_SETTLER_WAIT_NS} (a descheduled settler) the segment is finished
     * anyway, so no thread waits on another without bound and no write fails.
     *
     * @return false if another thread finished the segment meanwhile.
     */
    private boolean awaitSettlers(final int physical, final long head)
    {
        long startNs = 0;
        while (table.settlingVolatile(physical, head) > 0)
        {
            if (table.stateAcquire(physical) != SegmentTable.state(head, PHASE_RECLAIMING))
            {
                return false;
            }
            final long nowNs = System.nanoTime();
            if (startNs == 0)
            {
                startNs = nowNs;
            }
            else if (nowNs - startNs > MAX_SETTLER_WAIT_NS)
            {
                return true;
            }
            Thread.yield();
        }
        return true;
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
        final boolean countStatistics,
        final boolean inBatch)
    {
        final int keyLength = keyLength(lengths);
        final long hash = offset + HEADER_LENGTH + (long)keyLength > segmentBytes ? 0 :
            KeyHash.hash(log.buffer(segment), offset + HEADER_LENGTH, keyLength, store.hashSeed());
        return processRecord(registrySlot, context, segment, offset, lengths, hash, copiedAndWalked, countStatistics, inBatch);
    }

    /**
     * As above, for a record whose key hash the caller computed (ClaimedBatchWarmer) while its
     * segment could not be reused: the key bytes it hashed are the ones this reads.
     */
    private boolean processRecord(
        final int registrySlot,
        final OperationContext context,
        final long segment,
        final int offset,
        final long lengths,
        final long hash,
        final long[] copiedAndWalked,
        final boolean countStatistics,
        final boolean inBatch)
    {
        final UnsafeBuffer buffer = log.buffer(segment);
        final int keyLength = keyLength(lengths);
        final int covered = coveredLength(lengths);
        if (offset + HEADER_LENGTH + (long)keyLength > segmentBytes ||
            (evictionEnabled && (buffer.getLongVolatile(offset) & SETTLED_BIT) != 0))
        {
            return true; // not a record, or already settled by another thread
        }
        final long address = log.segmentStart(segment) + offset;
        final int slot = store.index.slotFor(hash);
        // With eviction on, a record is counted (dropped) or relinked (copied) only by the thread that
        // settled it: this one, once it holds the flag, and then whatever happens it settles the record.
        boolean settled = false;
        long settledVersion = 0;
        int attempts = 0;
        try
        {
            while (true)
            {
                final long head = store.index.headAcquire(slot);
                final long found = newestWithoutWalk(context, buffer, offset, address) ?
                    address : store.findKey(context, slot, head, buffer, offset + HEADER_LENGTH, keyLength);
                // The mark is read before the state: a mark of a later lap then comes with a state
                // that no longer names this segment. Only while the record is still its key's newest
                // version: one a write has replaced since was counted by that write (review found the
                // eviction counted twice, entries one low, when this checked the mark alone).
                final boolean finishing = settled && found == address && table.isFinishing(log.physical(segment), segment);
                if (finishing || !log.isCurrent(segment))
                {
                    // Finished by another thread meanwhile (this one was descheduled, or its copy lost a
                    // race), or about to be by a finisher that gave up waiting for this thread (its copy
                    // could no longer be linked). A record this thread settled was the key's newest
                    // version when it did: it goes with its segment, and only this thread can count it.
                    // (Once the segment is finished its bytes may be reused, so what findKey found can
                    // no longer tell whether a write replaced the record since: known limit (2).)
                    return !settled || !countStatistics ||
                        dropLive(context, settledVersion, covered, Counters.EVICTIONS, copiedAndWalked, true);
                }
                if (found == Store.RESTART)
                {
                    continue;
                }
                if (found != address || (flags(lengths) & FLAG_TOMBSTONE) != 0)
                {
                    // Nothing here links a copy, so no settling count of its own: only the right to count it.
                    if (evictionEnabled && !settled && !settle(buffer, offset, lengths, segment, false, inBatch ? context : null))
                    {
                        return true; // another thread settles it (flagging it also spares the finisher a look)
                    }
                    if (found == address && countStatistics)
                    {
                        Counters.add(context.counters, Counters.LIVE_BYTES, -covered); // a newest-version tombstone goes
                    }
                    // Superseded, never linked, or a tombstone (all it hides is older, so already gone):
                    // each was counted as garbage when it became unreachable.
                    copiedAndWalked[TALLY_WALKED] += covered;
                    if (countStatistics && !evictionEnabled)
                    {
                        // Freed when this segment is finalized: subtract now, whichever helper finalizes.
                        garbageBytes.getAndAdd(-covered);
                    }
                    return true;
                }
                final long expiresAt = context.foundExpiresAtMillis;
                final long version = context.foundVersion;
                if (evictionEnabled && !settled)
                {
                    if (!settle(buffer, offset, lengths, segment, true, inBatch ? context : null))
                    {
                        return true; // another helper, or the finisher in place of this one, settles it
                    }
                    settled = true;
                    settledVersion = version;
                }
                if (expiresAt != 0 && expiresAt <= store.clock.time())
                {
                    return dropLive(context, version, covered, Counters.EXPIRATIONS, copiedAndWalked, countStatistics);
                }
                if (!keeps(buffer, offset, hash, covered, copiedAndWalked))
                {
                    return dropLive(context, version, covered, Counters.EVICTIONS, copiedAndWalked, countStatistics);
                }
                StallInjection.at(StallInjection.RELOCATION_BEFORE_COPY);
                final long copy = copyRecord(registrySlot, context, slot, head, address, expiresAt, true);
                if (copy > 0)
                {
                    Counters.increment(context.counters, Counters.RELOCATIONS);
                    copiedAndWalked[TALLY_COPIED] += covered;
                    if (context.reclaimingAhead)
                    {
                        // Two divisions a copy, which only the reclaim-ahead agent's gain needs.
                        copiedAndWalked[TALLY_COPY_COST] += KeepBudget.copyCost(segmentBytes, covered);
                    }
                    copiedAndWalked[TALLY_WALKED] += covered;
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
        finally
        {
            if (settled && !inBatch)
            {
                table.addSettling(log.physical(segment), segment, -1);
            }
        }
    }

    /**
     * True when the record is its key's newest version among all records linked up to the head the
     * caller has just loaded (acquire): it carries no SUPERSEDED_BIT, which every newer version sets
     * before it is linked (see RecordDescriptor). Then the context holds its fields, as findKey would
     * fill them, without walking the chain from the index: that walk is a cache miss on a foreign
     * record whenever another key's record sits above this one. The caller re-checks the segment's
     * state before trusting what was read here.
     */
    private static boolean newestWithoutWalk(
        final OperationContext context, final UnsafeBuffer buffer, final int offset, final long address)
    {
        final long lengths = buffer.getLongVolatile(offset + LENGTHS_OFFSET);
        if ((lengths & SUPERSEDED_BIT) != 0 || (flags(lengths) & (FLAG_TOMBSTONE | FLAG_FILLER)) != 0)
        {
            return false;
        }
        context.found(address, lengths, buffer.getLong(offset + PREVIOUS_OFFSET),
            buffer.getLong(offset + VERSION_OFFSET), buffer.getLong(offset + EXPIRES_AT_OFFSET));
        UnsafeApi.loadLoadFence(); // the record reads happen before the caller's state re-read
        return true;
    }

    /**
     * Moves the segment's cursor from {@code cursor} to {@code end} over the records the caller read,
     * and where another helper moved it first to one of those records' offsets, claims from there on
     * without reading them again. Reading a batch's first words takes a cache miss per record, and
     * with a plain retry every lost CAS meant reading a new batch: on 16 cores the claim loop then
     * held a third of the put path's samples (bench/reports/data/2026-12-04-device-16core). The words
     * stay this lap's: the cursor had not passed them when they were read, and the segment is
     * finished only once it has. Lock-free: a CAS fails only because another helper's succeeded.
     *
     * @return the index in {@code claimedOffsets} of the first record claimed, or -1 when the cursor
     * moved past what the caller read, or to another lap (the caller starts over).
     */
    private int claimScanned(
        final int physical, final long tag, final long cursor, final int end, final int[] claimedOffsets, final int claimed)
    {
        long from = cursor;
        int first = 0;
        while (!table.cursorCompareAndSet(physical, from, tag | end))
        {
            from = table.cursorVolatile(physical);
            if ((from & 0xFFFF_FFFF_0000_0000L) != tag)
            {
                return -1;
            }
            final int offset = (int)from;
            while (first < claimed && claimedOffsets[first] < offset)
            {
                first++;
            }
            if (first == claimed || claimedOffsets[first] != offset)
            {
                return -1;
            }
        }
        return first;
    }

    /**
     * Bytes a copy of the claimed record would take, as far as its first word read at claim time
     * tells: 0 for a filler, a tombstone, or a record already superseded or settled. Sizes the
     * batch's relocation run, which must fit the records a claim can span. A first version cut runs
     * at the claim's nominal size and took them whole or in the next segment; each left filler where
     * a copy did not fit, and on 4 KiB segments relocations ran out of room (FinisherGaveUpTest saw
     * 94 copies refused and dropped as evictions). Now a run asks for its batch's records and takes
     * what the open segment has (SegmentLog.grantedLength).
     */
    private static int mayBeCopied(final long lengths, final int bytesToSegmentEnd)
    {
        if (lengths == 0 || (flags(lengths) & (FLAG_FILLER | FLAG_TOMBSTONE)) != 0 ||
            (lengths & (SUPERSEDED_BIT | SETTLED_BIT)) != 0)
        {
            return 0;
        }
        // Bounded like the claim's steps, so a batch never asks for more than a segment.
        return Math.min(recordLength(keyLength(lengths), valueLength(lengths)), bytesToSegmentEnd);
    }

    /** The eviction decision for a live record (see the policy note above): true to copy it to the tail. */
    private boolean keeps(
        final UnsafeBuffer buffer, final int offset, final long hash, final int covered, final long[] tally)
    {
        if (!evictionEnabled || tally[TALLY_UNDER_PRESSURE] == 0)
        {
            return true;
        }
        final boolean referenced = (buffer.getLong(offset) & REFERENCED_BIT) != 0;
        if (tally[TALLY_URGENT] != 0)
        {
            return referenced &&
                (tally[TALLY_COPIED] + covered) * 100 <= (tally[TALLY_WALKED] + covered) * URGENT_KEEP_PERCENT;
        }
        return (referenced || store.sketch.frequency(hash) >= tally[TALLY_KEEP_FREQUENCY]) && keepBudget.take(covered);
    }

    /**
     * Wins the right to settle one record of the segment being reclaimed: to count it, or to link a
     * copy of it. Exactly one thread wins per record and lap, so a record whose helper is descheduled
     * can be settled by the finisher without being counted twice. Lock-free: a failed CAS means a
     * reader set the reference bit or another thread settled the record.
     *
     * <p>A helper descheduled between its state check and its CAS while the segment is finished and
     * reused could flag a new record that happens to start at the same offset with the same first
     * word (as a reader's reference-bit CAS could): that record is then skipped, uncounted, a lap
     * later. Not data corruption: the flag is a bit of the header, and the record is only evicted.
     *
     * @param lengths     the record's first word as read before claiming it (its flags may have changed since).
     * @param mayLinkCopy the caller may copy the record: it counts itself as settling until done (see
     *                    awaitSettlers), which costs a CAS on a word the segment's helpers share.
     * @param batch       a helper's context while it processes a claimed batch: it then counts as
     *                    settling once, from its first settle that may link a copy (taken here) to
     *                    the end of the batch (released by the caller); null to count per record.
     */
    private boolean settle(
        final UnsafeBuffer buffer,
        final int offset,
        final long lengths,
        final long segment,
        final boolean mayLinkCopy,
        final OperationContext batch)
    {
        final boolean countHere = mayLinkCopy && batch == null;
        final long expected = lengths & ~IN_PLACE_BITS;
        final int physical = log.physical(segment);
        while (true)
        {
            final long word = buffer.getLongVolatile(offset);
            if ((word & ~(REFERENCED_BIT | SUPERSEDED_BIT)) != expected)
            {
                return false; // settled already (or the segment was reused under a late helper)
            }
            // Counted as settling before the CAS: a finisher that sees the flag also sees the count.
            if (countHere || (mayLinkCopy && !batch.batchSettlingHeld))
            {
                table.addSettling(physical, segment, 1);
                UnsafeApi.fullFence(); // the count is visible before the state is read
                if (!countHere)
                {
                    batch.batchSettlingHeld = true; // held until the batch ends
                }
            }
            else
            {
                UnsafeApi.loadLoadFence(); // the word is read before the state
            }
            if (log.isCurrent(segment))
            {
                // A settler that may link a copy flags the record superseded in the same CAS, as the
                // copy's link requires (RecordDescriptor), which then costs copyRecord only a read.
                if (buffer.compareAndSetLong(offset, word, word | SETTLED_BIT | (mayLinkCopy ? SUPERSEDED_BIT : 0)))
                {
                    return true;
                }
            }
            else
            {
                // Finished: the finisher settled every record nobody had, this one included. (Checked
                // before the CAS, not after: a CAS that wins and then sees the segment finished is
                // still this thread's settle, because the finisher skipped the record as settled.)
                if (countHere)
                {
                    table.addSettling(physical, segment, -1);
                }
                return false;
            }
            if (countHere)
            {
                table.addSettling(physical, segment, -1);
            }
        }
    }

    /** The lap tag of a logical segment, as the cursor and the counters of the segment table carry it. */
    private static long lapTag(final long segment)
    {
        return (segment & 0xFFFF_FFFFL) << 32;
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
        copiedAndWalked[TALLY_WALKED] += covered;
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
        final int sourceOffset = log.offset(source);
        final long lengths = context.foundLengthsWord;
        final long sourceExpiresAt = context.foundExpiresAtMillis;
        final long previous = source == head ? context.foundPrevious : head;
        final int length = recordLength(keyLength(lengths), valueLength(lengths));
        if (sourceOffset + (long)length > segmentBytes)
        {
            return 0;
        }
        final RelocationRun run = context.relocationRun;
        final boolean fromRun = relocation && run.enabled;
        final long copy = fromRun ? run.take(log, store.registry, registrySlot, length, head) :
            log.allocate(registrySlot, length, relocation ? SegmentLog.RELOCATION : SegmentLog.WRITE, relocation ? null : this);
        if (copy < 0)
        {
            return Status.FULL;
        }
        try
        {
            final long linked = copyAndLink(
                registrySlot, slot, head, source, copy, lengths, previous, length, expiresAtMillis, relocation, sourceExpiresAt);
            if (linked > 0)
            {
                relocateIfLinkedLate(registrySlot, context, linked);
            }
            return linked;
        }
        finally
        {
            // Linked or abandoned, the copy is done with: reclaim goes on with the next record, and a
            // stale announcement would make a later reclaim treat this thread as stalled in the copy's
            // segment. A run's unwritten room stays announced instead (see RelocationRun).
            if (fromRun)
            {
                run.afterCopy(store.registry, registrySlot);
            }
            else
            {
                store.registry.withdrawWrite(registrySlot);
            }
        }
    }

    private long copyAndLink(
        final int registrySlot,
        final int slot,
        final long head,
        final long source,
        final long copy,
        final long lengths,
        final long previous,
        final int length,
        final long expiresAtMillis,
        final boolean relocation,
        final long sourceExpiresAt)
    {
        final long sourceSegment = log.logicalSegment(source);
        final UnsafeBuffer sourceBuffer = log.buffer(sourceSegment);
        final int sourceOffset = log.offset(source);
        final UnsafeBuffer buffer = log.buffer(log.logicalSegment(copy));
        final int offset = log.offset(copy);
        // The first word decides how far a segment walk steps: write it from the validated word, not
        // from the source, and first. If the source was reused while it was copied, its first word
        // belongs to another record, and a walk stepping by it would jump over the records allocated
        // after this copy. Those were then never reclaimed: live keys lost without a count (the
        // entries statistic drifted up by half with eviction on), and with eviction off, data loss.
        buffer.putLong(offset + LENGTHS_OFFSET, lengths & ~IN_PLACE_BITS);
        store.registry.announceHeaderWritten(registrySlot, copy);
        buffer.putBytes(offset + PREVIOUS_OFFSET, sourceBuffer, sourceOffset + PREVIOUS_OFFSET, length - PREVIOUS_OFFSET); // the rest
        // Full fence, so also orders the copy's reads before the state re-read. Announced before that
        // re-read: a finisher that gave up waiting for this thread marks the segment finishing and
        // then fences the slot of every LINKING writer before it finishes the segment, so either this
        // re-read sees the mark (or the segment finished) or that fence makes this CAS fail. The mark
        // first: a later lap's mark then comes with a state that no longer names the segment. Only
        // relocations read the mark: a touch that retried on it would wait for the finisher.
        store.registry.announceLinking(registrySlot, copy);
        if ((relocation && table.isFinishing(log.physical(sourceSegment), sourceSegment)) ||
            !log.isCurrent(sourceSegment) || copy < head)
        {
            abandoned(copy);
            return 0;
        }
        buffer.putLong(offset + PREVIOUS_OFFSET, previous);
        buffer.putLong(offset + EXPIRES_AT_OFFSET, expiresAtMillis);
        noteExpiry(copy, expiresAtMillis);
        store.markSuperseded(source, lengths);
        if (!store.linkable(copy))
        {
            abandoned(copy); // passed by a forced reclaim while this thread was descheduled
            return 0;
        }
        StallInjection.at(StallInjection.COPY_BEFORE_LINK);
        if (!relocation && store.expiredSince(sourceExpiresAt))
        {
            abandoned(copy); // a touch of an entry that has expired since: it walks again and answers MISS
            return 0;
        }
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
