package dev.ferrite.stress.jcstress;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.FerriteCache;

/**
 * The caches jcstress tests share, one of each kind per forked JVM, created on first use (holder
 * idiom) and freed when the fork exits. jcstress creates a state object per sample, thousands per
 * epoch; one off-heap store each would be slow and would exhaust native memory.
 */
final class StressCaches
{
    /** The smallest budget {@link CacheConfig#conclude()} accepts: {@code MIN_SEGMENTS} segments, twice over. */
    static final long TINY_CAPACITY_BYTES = (long)CacheConfig.MIN_SEGMENTS * CacheConfig.MIN_SEGMENT_BYTES * 2;

    private StressCaches()
    {
    }

    /**
     * Eviction off, room for every key of a jcstress epoch (strideSize x strideCount = 10,240
     * states of ~150 bytes each): nothing disappears unless a test removes it, so outcomes are
     * exact. Arbiters remove their state's key, so garbage is compacted and the live set stays small.
     */
    static FerriteCache exact()
    {
        return Exact.CACHE;
    }

    /** The smallest cache with eviction on: a few writes reclaim a segment, relocating or evicting. */
    static FerriteCache tinyEvicting()
    {
        return TinyEvicting.CACHE;
    }

    /** The smallest cache with eviction off: each reclaim relocates (compacts) every live record it meets. */
    static FerriteCache tinyCompacting()
    {
        return TinyCompacting.CACHE;
    }

    static CacheConfig tinyConfig(final boolean evictionEnabled)
    {
        return new CacheConfig()
            .capacityBytes(TINY_CAPACITY_BYTES)
            .segmentBytes(CacheConfig.MIN_SEGMENT_BYTES)
            .maxValueLength(2048)
            .evictionEnabled(evictionEnabled);
    }

    private static final class Exact
    {
        static final FerriteCache CACHE = FerriteCache.create(new CacheConfig()
            .capacityBytes(16L << 20)
            .maxValueLength(4096)
            .evictionEnabled(false));
    }

    private static final class TinyEvicting
    {
        static final FerriteCache CACHE = FerriteCache.create(tinyConfig(true));
    }

    private static final class TinyCompacting
    {
        static final FerriteCache CACHE = FerriteCache.create(tinyConfig(false));
    }
}
