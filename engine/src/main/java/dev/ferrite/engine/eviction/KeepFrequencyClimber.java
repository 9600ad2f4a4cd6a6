package dev.ferrite.engine.eviction;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Hill climbing on the sketch frequency at which reclaim keeps a record that was not read in its
 * lap, after Caffeine's adaptive window: recency-friendly workloads (LRU does well) want the
 * threshold high (pure CLOCK), loops and scans (LRU gets nothing) want it low, so that a stable,
 * frequently used set survives while one-hit keys pass through. Reclaim asks
 * {@link #keepFrequency()}; once per sample of accesses {@link #onReclaim} compares the sample's hit
 * ratio with the previous one and steps on in the same direction, or back when the ratio fell.
 *
 * <pre>
 *   level:            0      1    2    3    4    5    6    7    8
 *   keep frequency:   never  14   12   10   8    6    4    2    0
 *                     CLOCK <--------------------------------> keep by frequency
 *                                                        ^ start
 * </pre>
 * Level 8 keeps every record, within reclaim's keep budget (see {@code Reclaimer}). The start, the
 * step of one level and a sample of 3 accesses per index slot measured best on the hit-ratio traces
 * (bench module, {@code HitRatioMain}) among starts 2..6, steps of 1, 2 and 4 frequency units and
 * samples of 1 to 10 accesses per entry.
 *
 * <h2>State, in two words</h2>
 * <pre>
 *   sample start:  hits at the start (high 32 bits, mod 2^32) | accesses at the start (low 32 bits),
 *                  or -1 before the first call
 *   policy:        previous hit ratio, ppm (bits 16..35) | direction (bit 8: 1 = towards keeping more)
 *                  | level (bits 0..7)
 * </pre>
 * Counts are compared mod 2^32, so they may wrap; a sample is far below 2^31 accesses.
 *
 * <p>Progress: wait-free for readers (one volatile load). {@link #onReclaim} is lock-free and never
 * waits: the thread whose CAS moves the sample start owns that sample's step; any other thread
 * returns at once. A step is a CAS on the policy word; a lost race drops the step (another sample
 * owner just stepped). Allocates nothing.
 */
public final class KeepFrequencyClimber
{
    /** Sketch counters saturate at 15, so 16 never matches: level 0 is pure CLOCK. */
    private static final int NEVER = 16;
    private static final int[] KEEP_FREQUENCY_BY_LEVEL = {NEVER, 14, 12, 10, 8, 6, 4, 2, 0};
    public static final int START_LEVEL = 7;
    public static final int MAX_LEVEL = KEEP_FREQUENCY_BY_LEVEL.length - 1;
    /** Fewer accesses than this make a hit ratio too noisy to climb on. */
    public static final int MIN_SAMPLE_ACCESSES = 1024;

    private static final long LEVEL_MASK = 0xFF;
    private static final long DIRECTION_UP = 1L << 8;
    private static final int RATIO_SHIFT = 16;
    private static final long RATIO_MASK = 0xF_FFFF;
    private static final long NO_RATIO = RATIO_MASK;
    private static final long LOW_32 = 0xFFFF_FFFFL;
    /** No sample yet: the first call starts one from the totals it sees, whatever they are. */
    private static final long NOT_STARTED = -1;

    private final long sampleAccesses;
    private final AtomicLong sampleStart = new AtomicLong(NOT_STARTED);
    private final AtomicLong policy = new AtomicLong((long)START_LEVEL | DIRECTION_UP | NO_RATIO << RATIO_SHIFT);

    /**
     * @param sampleAccesses accesses per sample, at least {@link #MIN_SAMPLE_ACCESSES}: a few
     *                       times the number of entries the cache holds, so a sample sees the
     *                       effect of a step on the whole cache.
     */
    public KeepFrequencyClimber(final long sampleAccesses)
    {
        this.sampleAccesses = Math.min(1L << 30, Math.max(MIN_SAMPLE_ACCESSES, sampleAccesses));
    }

    public int level()
    {
        return (int)(policy.get() & LEVEL_MASK);
    }

    /** Sketch frequency at which a record not read in its lap is still kept; above 15: never. */
    public int keepFrequency()
    {
        return KEEP_FREQUENCY_BY_LEVEL[level()];
    }

    /**
     * Called by reclaim with the cache's running totals of hits and misses; steps the level once a
     * sample is complete.
     */
    public void onReclaim(final long hits, final long misses)
    {
        final long start = sampleStart.get();
        final long accesses = (hits + misses) & LOW_32;
        if (start == NOT_STARTED)
        {
            sampleStart.compareAndSet(NOT_STARTED, (hits & LOW_32) << 32 | accesses);
            return;
        }
        final long sampled = (accesses - (start & LOW_32)) & LOW_32;
        if (sampled < sampleAccesses || sampled >= 1L << 31)
        {
            return; // sample not complete (or counters read mid-update by another thread: wait for more)
        }
        final long sampleHits = ((hits & LOW_32) - (start >>> 32)) & LOW_32;
        if (!sampleStart.compareAndSet(start, (hits & LOW_32) << 32 | accesses))
        {
            return; // another thread owns this sample's step
        }
        final long ratioPpm = Math.min(RATIO_MASK - 1, sampleHits * 1_000_000 / sampled);
        final long current = policy.get();
        policy.compareAndSet(current, step(current, ratioPpm));
    }

    /** The policy word after a sample with this hit ratio: on in the same direction unless the ratio fell. */
    static long step(final long current, final long ratioPpm)
    {
        final long previous = (current >>> RATIO_SHIFT) & RATIO_MASK;
        boolean up = (current & DIRECTION_UP) != 0;
        if (previous != NO_RATIO && ratioPpm < previous)
        {
            up = !up;
        }
        int level = (int)(current & LEVEL_MASK) + (up ? 1 : -1);
        if (level < 0 || level > MAX_LEVEL)
        {
            up = !up;
            level = Math.max(0, Math.min(MAX_LEVEL, level));
        }
        return level | (up ? DIRECTION_UP : 0) | ratioPpm << RATIO_SHIFT;
    }
}
