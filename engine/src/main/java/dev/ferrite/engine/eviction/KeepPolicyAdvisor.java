package dev.ferrite.engine.eviction;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Chooses the sketch frequency at which reclaim keeps a record that was not read in its lap, by
 * running the log's policy at each candidate frequency side by side on a hash-sampled share of the
 * workload ({@link ShadowCache}) and following the one with the most hits lately.
 *
 * <p>Why shadows, and not hill climbing on the measured hit ratio (Caffeine's adaptive window, and
 * this engine's first policy): a climber needs a sample per step and a stationary workload to
 * compare samples, so on a trace of a few laps it is still climbing when the trace ends (on the web
 * traces it stayed frequency-biased and lost 5 points to LRU). Shadows answer the counterfactual
 * directly, for every candidate at once, within one lap. Recency-friendly workloads pick "never"
 * (pure CLOCK, which tracks LRU); loops and scans, where LRU gets nothing, pick a low frequency, so a
 * stable, frequently used set survives while one-hit keys pass through.
 *
 * <p>Candidates 1, 2, 4 and never, starting at 1. On the 48 trace rows of {@code HitRatioMain}, with
 * the sketch of one word per slot: 55.3% on average, against 53.0% for {2, never} with the same
 * sketch (and 54.9% for {2, never} with the earlier, quarter-width sketch, whose saturated counts
 * suited a threshold of 2). {2, 1, 4, never}, the same set starting at 2, gave 54.3%: the first
 * window's advice shapes what the log holds when the comparison starts. A fifth candidate, tried
 * with a sketch of two words per slot, gave 0.02 point more (8) or less (3), and costs a shadow's
 * work on every sample.
 *
 * <pre>
 *   get / put (1 key in R):  sample --tryClaim--> [ lossy ring buffers, 8 stripes ] --drain (one thread)--> shadows
 *                                                                                               |
 *   reclaim:  keepFrequency() <-- volatile <-- best decayed hit count, once per window <---------'
 *
 *   sample record (Agrona ManyToOneRingBuffer, message type 1 = read, 2 = write, 3 = remove):
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                         key hash                              |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |         record bytes (0: a read that missed, or a remove)     |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <h2>Sizes</h2>
 * One key in R is sampled, R a power of two leaving about {@link #SAMPLED_KEYS_TARGET} keys (1 below
 * that many index slots). The shadows have the log's segment count, each segment 1/R of the bytes,
 * unless that leaves fewer than {@link #RECORDS_PER_SHADOW_SEGMENT} expected records a segment (a
 * store of many small segments): then fewer, larger segments. Each shadow holds at most
 * {@link #MAX_RING_ENTRIES} entries, about 46 bytes of heap each (under 400 KiB a shadow, fixed at
 * construction whatever the number of entries). The sample buffer is off-heap, inside the byte
 * budget: 4-64 KiB.
 *
 * <p>Not replayed: expiry (an expired key stays live in the shadows until it leaves their log).
 * Samples are lossy, so the shadows see a thinned stream when drains fall behind. Below about 2,048
 * index slots every key is sampled, so every get and put claims a buffer; the buffers are striped by
 * thread (8), so that is one CAS on a line shared with few other threads. At a million entries 1
 * operation in 512 claims one. Stripes are drained in turn, so two threads' samples interleave a
 * little differently than they happened: within a stripe (a thread's own), order is kept.
 *
 * <h2>Progress</h2>
 * {@link #recordRead}, {@link #recordWrite} and {@link #recordRemove} are lock-free and never wait: a sample is one CAS claim
 * on the thread's ring buffer, dropped when the buffer is full and another thread is draining it (the sample is
 * lossy on purpose, like Caffeine's read buffer). Draining is done by whichever thread wins a CAS on
 * the drain flag; a thread that loses returns at once, and a drainer that is descheduled only delays
 * the advice. {@link #keepFrequency()} is wait-free (one volatile load). Nothing allocates after
 * construction.
 */
public final class KeepPolicyAdvisor
{
    /** Sketch counters saturate at 15, so 16 never matches: pure CLOCK. */
    public static final int NEVER = 16;
    /** Candidates the shadows simulate; the first is the advice until the first window closes. */
    static final int[] CANDIDATE_KEEP_FREQUENCIES = {1, 2, 4, NEVER};
    /** Keys the shadows sample, about: enough for a stable hit ratio, few enough to simulate cheaply. */
    static final int SAMPLED_KEYS_TARGET = 1024;
    /**
     * Reads per comparison window, per sampled key. Long windows on purpose: a switch costs a lap of
     * the log in a state worse than either policy, so following short-lived leads (the zigzag trace
     * alternates every few laps) lost up to 11 points where either fixed choice was near LRU.
     */
    static final int WINDOW_READS_PER_SAMPLED_KEY = 8;
    static final int MIN_WINDOW_READS = 512;
    /** Sample buffers, a power of two; a thread always uses the same one. */
    static final int STRIPES = 8;
    /** Samples one drain processes at most: a caller that drains pays for a bounded batch. */
    static final int DRAIN_LIMIT = 256;

    private static final int MSG_READ = 1;
    private static final int MSG_WRITE = 2;
    private static final int MSG_REMOVE = 3;
    /** The smallest record: a header and a one-byte key, aligned. */
    private static final long MIN_RECORD_BYTES = 40;
    static final int RECORDS_PER_SHADOW_SEGMENT = 8;
    static final int MIN_SHADOW_SEGMENTS = 8;
    /** Caps each shadow's heap at about 46 bytes times this. */
    static final int MAX_RING_ENTRIES = 8192;
    private static final int SAMPLE_LENGTH = 12;
    private static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;

    /** Striped by the sampling thread, as Caffeine's read buffer, so threads rarely claim the same buffer. */
    private final ManyToOneRingBuffer[] samples = new ManyToOneRingBuffer[STRIPES];
    private int nextStripeToDrain;
    private final MessageHandler sampleHandler = this::onSample; // one instance: a drain allocates nothing
    private final AtomicBoolean draining = new AtomicBoolean();
    private final long sampleMask;
    private final ShadowCache[] shadows;
    private final long[] windowStartHits;
    private final long[] scores;
    private final long windowReads;
    private long readsInWindow;
    private long samplesDrained;
    /** Running average of sampled record sizes, times 16: an exponential average that reaches a constant size exactly. */
    private long averageRecordBytesTimes16;
    private int best;
    private volatile int keepFrequency;

    /**
     * @param sampleBuffer      {@link #sampleBufferBytes} bytes, 8-byte aligned.
     * @param indexSlots        the store's index slots, about its expected entries.
     * @param log               the real log's shape, unscaled; its ring size is ignored.
     */
    public KeepPolicyAdvisor(
        final AtomicBuffer sampleBuffer, final FrequencySketch sketch, final long indexSlots, final LogShape log)
    {
        final int stripeBytes = sampleBuffer.capacity() / STRIPES;
        for (int i = 0; i < STRIPES; i++)
        {
            samples[i] = new ManyToOneRingBuffer(new UnsafeBuffer(sampleBuffer, i * stripeBytes, stripeBytes));
        }
        final long ratio = sampleRatio(indexSlots);
        this.sampleMask = ratio - 1;
        final long sampledKeys = Math.max(1, indexSlots / ratio);
        final long logBytes = (long)log.segmentBytes() * log.usableSegments();
        final long expectedRecordBytes = Math.max(MIN_RECORD_BYTES, logBytes / Math.max(1, indexSlots));
        final long sampledLogBytes = Math.max(1, logBytes / ratio);
        // The same segment count, each 1/R of the bytes, unless that leaves fewer than a few records a
        // segment: then fewer, larger segments (the log's per-segment rules need records to apply to).
        final long segmentBytes = Math.max(log.segmentBytes() / ratio,
            Math.min(log.segmentBytes(), RECORDS_PER_SHADOW_SEGMENT * expectedRecordBytes));
        final int usableSegments = (int)Math.max(MIN_SHADOW_SEGMENTS, sampledLogBytes / segmentBytes);
        // Entries are a second budget beside the bytes; sized so that records of the expected size fill
        // the bytes first, within a fixed heap footprint.
        final long wantedEntries = Math.max(sampledKeys * 4, Math.min(MAX_RING_ENTRIES, sampledLogBytes / MIN_RECORD_BYTES));
        final int ringEntries = (int)Math.max(64, Long.highestOneBit(wantedEntries - 1) << 1);
        final ShadowCache.Shape shape = new ShadowCache.Shape((int)segmentBytes, usableSegments, log.reservedSegments(),
            log.pressurePercent(), log.keepBudgetPercent(), log.keepBudgetCarrySegments(), log.urgentKeepPercent(),
            ringEntries);
        this.shadows = new ShadowCache[CANDIDATE_KEEP_FREQUENCIES.length];
        for (int i = 0; i < shadows.length; i++)
        {
            shadows[i] = new ShadowCache(sketch, CANDIDATE_KEEP_FREQUENCIES[i], shape);
        }
        this.windowStartHits = new long[shadows.length];
        this.scores = new long[shadows.length];
        this.windowReads = Math.max(MIN_WINDOW_READS, sampledKeys * WINDOW_READS_PER_SAMPLED_KEY);
        this.averageRecordBytesTimes16 = expectedRecordBytes * 16;
        this.keepFrequency = CANDIDATE_KEEP_FREQUENCIES[0];
    }

    /** Hits of the shadow at this keep frequency so far; -1 if none runs at it. For tests and diagnostics: exact only while no thread drains. */
    public long shadowHits(final int keepFrequency)
    {
        for (final ShadowCache shadow : shadows)
        {
            if (shadow.keepFrequency() == keepFrequency)
            {
                return shadow.hits();
            }
        }
        return -1;
    }

    /** Samples fed to the shadows so far. For tests; only while no thread drains. */
    long samplesDrained()
    {
        return samplesDrained;
    }

    /** The real log and its reclaim rules, as the shadows replay them. */
    public record LogShape(
        int segmentBytes, int usableSegments, int reservedSegments, int pressurePercent, int keepBudgetPercent,
        int keepBudgetCarrySegments, int urgentKeepPercent)
    {
    }

    /** Bytes of the sample buffers for a store of this many index slots: {@link #STRIPES} powers of two, each with Agrona's trailer. */
    public static long sampleBufferBytes(final long indexSlots)
    {
        final long capacity = Math.min(64 * 1024, Math.max(4 * 1024, Long.highestOneBit(Math.max(1, indexSlots * 4))));
        return STRIPES * (capacity / STRIPES + RingBufferDescriptor.TRAILER_LENGTH);
    }

    /** One key in this many is sampled: a power of two that leaves about {@link #SAMPLED_KEYS_TARGET} keys. */
    static long sampleRatio(final long indexSlots)
    {
        final long wanted = Math.max(1, indexSlots / SAMPLED_KEYS_TARGET);
        return Long.highestOneBit(wanted);
    }

    /** The advice until the first comparison window closes: the first candidate. */
    public static int initialKeepFrequency()
    {
        return CANDIDATE_KEEP_FREQUENCIES[0];
    }

    /** Sketch frequency at which a record not read in its lap is still kept; above 15: never. Wait-free. */
    public int keepFrequency()
    {
        return keepFrequency;
    }

    /**
     * A get: {@code recordBytes} of the record found, or 0 for a miss. Lock-free, see the class note.
     *
     * @param stripe any number that stays the same for the calling thread (its hash, a home slot).
     */
    public void recordRead(final long keyHash, final int recordBytes, final int stripe)
    {
        record(MSG_READ, keyHash, recordBytes, stripe);
    }

    /** A put that linked a record of {@code recordBytes}. Lock-free, see the class note. */
    public void recordWrite(final long keyHash, final int recordBytes, final int stripe)
    {
        record(MSG_WRITE, keyHash, recordBytes, stripe);
    }

    /** A remove that took the key out. Lock-free, see the class note. */
    public void recordRemove(final long keyHash, final int stripe)
    {
        record(MSG_REMOVE, keyHash, 0, stripe);
    }

    private void record(final int type, final long keyHash, final int recordBytes, final int stripe)
    {
        if (((keyHash * GOLDEN) >>> 40 & sampleMask) != 0)
        {
            return;
        }
        final ManyToOneRingBuffer buffer = samples[stripe & (STRIPES - 1)];
        int index = buffer.tryClaim(type, SAMPLE_LENGTH);
        if (index < 0)
        {
            drain(); // full: whoever finds it so pays for one bounded batch (or skips, if another drains)
            index = buffer.tryClaim(type, SAMPLE_LENGTH);
            if (index < 0)
            {
                return;
            }
        }
        final AtomicBuffer bytes = buffer.buffer();
        bytes.putLong(index, keyHash);
        bytes.putInt(index + 8, recordBytes);
        buffer.commit(index);
    }

    /** Feeds pending samples to the shadows, unless another thread is at it. Lock-free, never waits. */
    public void drain()
    {
        if (draining.get() || !draining.compareAndSet(false, true))
        {
            return;
        }
        try
        {
            // Stripes in turn, a share of the batch each, starting where the last drain stopped.
            int budget = DRAIN_LIMIT;
            for (int i = 0; i < STRIPES && budget > 0; i++)
            {
                final int stripe = nextStripeToDrain;
                nextStripeToDrain = (stripe + 1) & (STRIPES - 1);
                budget -= samples[stripe].read(sampleHandler, Math.max(1, DRAIN_LIMIT / STRIPES));
            }
        }
        finally
        {
            draining.set(false);
        }
    }

    private void onSample(final int type, final MutableDirectBuffer buffer, final int offset, final int length)
    {
        samplesDrained++;
        final long hash = buffer.getLong(offset);
        final int sampledBytes = buffer.getInt(offset + 8);
        if (sampledBytes > 0)
        {
            averageRecordBytesTimes16 += sampledBytes - averageRecordBytesTimes16 / 16;
        }
        // A miss carries no size: the shadows insert it at the running average.
        final int bytes = sampledBytes > 0 ? sampledBytes : (int)Math.max(MIN_RECORD_BYTES, averageRecordBytesTimes16 / 16);
        for (final ShadowCache shadow : shadows)
        {
            switch (type)
            {
                case MSG_READ -> shadow.read(hash, bytes, sampledBytes == 0);
                case MSG_WRITE -> shadow.write(hash, bytes);
                default -> shadow.remove(hash);
            }
        }
        if (type == MSG_READ && ++readsInWindow >= windowReads)
        {
            closeWindow();
        }
    }

    /** Halves the old scores, adds this window's hits, and follows the best shadow (ties keep the current one). */
    private void closeWindow()
    {
        readsInWindow = 0;
        for (int i = 0; i < shadows.length; i++)
        {
            final long hits = shadows[i].hits();
            scores[i] = scores[i] / 2 + (hits - windowStartHits[i]);
            windowStartHits[i] = hits;
        }
        for (int i = 0; i < shadows.length; i++)
        {
            if (scores[i] > scores[best])
            {
                best = i;
            }
        }
        keepFrequency = shadows[best].keepFrequency();
    }
}
