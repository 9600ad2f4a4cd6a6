package dev.ferrite.engine;

import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemEpochClock;

/**
 * Configuration of one cache, in Aeron's three layers: a system property and a default per
 * setting, fluent accessors that start from them, and {@link #conclude()} which validates once and
 * derives the layout (shards, segment size and count, index size) from the byte budget. The layout
 * is fixed by conclude: setting a layout field to another value after it throws
 * {@link IllegalStateException}. Settings a store reads when it is built (the clock, the hash seed,
 * eviction, limits) may still be set after it, are checked again when a cache is built, and reach
 * every shard. A cache built from a config freezes it: every setter then throws
 * {@link IllegalStateException}, so {@code cache.config()} always describes the cache (found by
 * review: limits raised on it after the build let a snapshot pass the loader's checks and then fail
 * half loaded, against limits the stores had copied).
 */
public final class CacheConfig
{
    public static final String CAPACITY_BYTES_PROP = "ferrite.engine.capacityBytes";
    public static final long CAPACITY_BYTES_DEFAULT = 64L * 1024 * 1024;
    public static final String MAX_KEY_LENGTH_PROP = "ferrite.engine.maxKeyLength";
    public static final int MAX_KEY_LENGTH_DEFAULT = 64 * 1024;
    public static final String MAX_VALUE_LENGTH_PROP = "ferrite.engine.maxValueLength";
    public static final int MAX_VALUE_LENGTH_DEFAULT = 1024 * 1024;
    public static final String EVICTION_ENABLED_PROP = "ferrite.engine.evictionEnabled";
    public static final String AVERAGE_ENTRY_BYTES_PROP = "ferrite.engine.averageEntryBytes";
    /** Expected key plus value size: sizes the index at about one slot per expected entry. */
    public static final int AVERAGE_ENTRY_BYTES_DEFAULT = 128;
    public static final String SEGMENT_BYTES_PROP = "ferrite.engine.segmentBytes";
    public static final String RECLAIM_AHEAD_SEGMENTS_PROP = "ferrite.engine.reclaimAheadSegments";
    public static final String SHARDS_PROP = "ferrite.engine.shards";
    /** Shards one cache may be split into. */
    public static final int MAX_SHARDS = 256;
    /** The most shards {@link #shards()} picks by itself. */
    public static final int MAX_AUTO_SHARDS = 64;
    /**
     * Segments' worth of capacity each shard must have before {@link #shards()} picks more than one:
     * a shard evicts from the oldest of its own segments, and with fewer, each reclaim drops a
     * coarser slice of its data (the default layout gives one store about 64).
     */
    public static final int AUTO_MIN_SEGMENTS_PER_SHARD = 64;
    /**
     * Capacity each shard must have before {@link #shards()} picks more than one. A shard keeps its
     * own recency and frequency history, and small ones lose hits: replaying the shared traces in 4
     * shards, rows with under 300 entries a shard lost 4.9 points on average (up to 21.6), rows of
     * 300-600 lost 0.7, rows of 1,000 or more none (+0.01); data in
     * {@code bench/reports/data/2026-12-04-shards}. 4 MiB is over 25,000 records of 150 bytes.
     */
    public static final long AUTO_MIN_SHARD_BYTES = 4L << 20;
    /**
     * Processors below which {@link #shards()} keeps one store: with two or three cores few writers
     * share a tail, and on the 2-core build machine 4 shards measured 0.90-1.39x one store's puts
     * (one series of alternating runs lower in 11 of 12 pairs), no gain to pay for any cost.
     */
    public static final int AUTO_MIN_PROCESSORS = 4;

    /** Segments kept free for relocation during reclaim; normal writes may not use them. */
    public static final int RESERVED_SEGMENTS = 2;
    public static final int MIN_SEGMENTS = 8;
    public static final int MIN_SEGMENT_BYTES = 4 * 1024;
    public static final int MAX_SEGMENT_BYTES = 1 << 30;
    /** The index is one buffer of 8-byte slots, addressed by int: at most this many slots. */
    public static final long MAX_INDEX_SLOTS = Integer.MAX_VALUE / 8;
    /** The segment table is one buffer of entries, addressed by int: at most this many segments. */
    public static final long MAX_SEGMENTS = Integer.MAX_VALUE / dev.ferrite.engine.log.SegmentTable.ENTRY_LENGTH;

    private long capacityBytes = Long.getLong(CAPACITY_BYTES_PROP, CAPACITY_BYTES_DEFAULT);
    private int maxKeyLength = Integer.getInteger(MAX_KEY_LENGTH_PROP, MAX_KEY_LENGTH_DEFAULT);
    private int maxValueLength = Integer.getInteger(MAX_VALUE_LENGTH_PROP, MAX_VALUE_LENGTH_DEFAULT);
    private boolean evictionEnabled = Boolean.parseBoolean(System.getProperty(EVICTION_ENABLED_PROP, "true"));
    private int averageEntryBytes = Integer.getInteger(AVERAGE_ENTRY_BYTES_PROP, AVERAGE_ENTRY_BYTES_DEFAULT);
    private int segmentBytes = Integer.getInteger(SEGMENT_BYTES_PROP, 0);
    private long indexSlots;
    private int reclaimAheadSegments = Integer.getInteger(RECLAIM_AHEAD_SEGMENTS_PROP, 0);
    private IdleStrategy reclaimIdleStrategy;
    private EpochClock clock = SystemEpochClock.INSTANCE;
    private long hashSeed = Double.doubleToLongBits(Math.random()) ^ System.nanoTime();
    private int shards = Integer.getInteger(SHARDS_PROP, 0);

    private boolean concluded;
    /** Set when a cache is built from this config: see the class note. */
    private volatile boolean frozen;
    private int segmentCount;
    /** One shard's settings, once concluded with more than one shard; null with one. */
    private CacheConfig shardConfig;

    public long capacityBytes()
    {
        return capacityBytes;
    }

    /** The byte budget: index, sketch, segment table and data together never exceed it. */
    public CacheConfig capacityBytes(final long capacityBytes)
    {
        checkSettable("capacityBytes", capacityBytes, this.capacityBytes);
        this.capacityBytes = capacityBytes;
        return this;
    }

    public int maxKeyLength()
    {
        return maxKeyLength;
    }

    public CacheConfig maxKeyLength(final int maxKeyLength)
    {
        checkNotFrozen("maxKeyLength");
        this.maxKeyLength = maxKeyLength;
        return this;
    }

    public int maxValueLength()
    {
        return maxValueLength;
    }

    public CacheConfig maxValueLength(final int maxValueLength)
    {
        checkNotFrozen("maxValueLength");
        this.maxValueLength = maxValueLength;
        return this;
    }

    public boolean evictionEnabled()
    {
        return evictionEnabled;
    }

    /** With eviction off, a write that does not fit returns {@link Status#FULL} and nothing is dropped. */
    public CacheConfig evictionEnabled(final boolean evictionEnabled)
    {
        checkNotFrozen("evictionEnabled");
        this.evictionEnabled = evictionEnabled;
        return this;
    }

    public int averageEntryBytes()
    {
        return averageEntryBytes;
    }

    public CacheConfig averageEntryBytes(final int averageEntryBytes)
    {
        checkSettable("averageEntryBytes", averageEntryBytes, this.averageEntryBytes);
        this.averageEntryBytes = averageEntryBytes;
        return this;
    }

    /** Segment size in bytes; 0 derives it from the budget and the largest record. */
    public int segmentBytes()
    {
        return segmentBytes;
    }

    public CacheConfig segmentBytes(final int segmentBytes)
    {
        checkSettable("segmentBytes", segmentBytes, this.segmentBytes);
        this.segmentBytes = segmentBytes;
        return this;
    }

    /**
     * Segments a background thread keeps open ahead of the tail by reclaiming early
     * ({@link ReclaimAgent}), so that writes rarely reclaim inline; 0 (the default) starts no thread,
     * and writes reclaim what they need themselves. Those segments hold no data: the cache holds
     * that much less. With shards ({@link #shards()}) this is the total: each shard keeps its share,
     * rounded up, and at most a quarter of its segments.
     */
    public int reclaimAheadSegments()
    {
        return reclaimAheadSegments;
    }

    public CacheConfig reclaimAheadSegments(final int reclaimAheadSegments)
    {
        checkSettable("reclaimAheadSegments", reclaimAheadSegments, this.reclaimAheadSegments);
        this.reclaimAheadSegments = reclaimAheadSegments;
        return this;
    }

    /**
     * How the background reclaim thread waits when there is nothing to reclaim; null (the default)
     * backs off from a few spins and yields to parking up to 1 ms, which suits a machine with few
     * cores. A dedicated core may prefer {@code BusySpinIdleStrategy}. One instance per cache: idle
     * strategies keep state.
     */
    public IdleStrategy reclaimIdleStrategy()
    {
        return reclaimIdleStrategy;
    }

    public CacheConfig reclaimIdleStrategy(final IdleStrategy reclaimIdleStrategy)
    {
        checkNotFrozen("reclaimIdleStrategy");
        this.reclaimIdleStrategy = reclaimIdleStrategy;
        return this;
    }

    /**
     * Index slots; 0 derives them from the budget and {@link #averageEntryBytes()}. Each slot costs 8
     * bytes of index and 4-8 bytes of frequency sketch, inside {@link #capacityBytes()}, and together
     * with the policy's sample buffer they may take less than half of it.
     */
    public long indexSlots()
    {
        return indexSlots;
    }

    public CacheConfig indexSlots(final long indexSlots)
    {
        checkSettable("indexSlots", indexSlots, this.indexSlots);
        this.indexSlots = indexSlots;
        return this;
    }

    public EpochClock clock()
    {
        return clock;
    }

    /** The clock TTLs are measured against; tests inject a manual one. */
    public CacheConfig clock(final EpochClock clock)
    {
        checkNotFrozen("clock");
        this.clock = clock;
        return this;
    }

    public long hashSeed()
    {
        return hashSeed;
    }

    public CacheConfig hashSeed(final long hashSeed)
    {
        checkNotFrozen("hashSeed");
        this.hashSeed = hashSeed;
        return this;
    }

    /** Segments of all shards together, once concluded. */
    public int segmentCount()
    {
        return segmentCount;
    }

    /**
     * Independent stores the cache is split into by key hash, each with its own log, index and
     * byte share (see {@code ShardedStore}): writers on many cores then reclaim and append in
     * different logs instead of all in one. 0 (the default) picks, at {@link #conclude()}, one store
     * below {@link #AUTO_MIN_PROCESSORS} processors; else the processors rounded up to a power of
     * two, times two, at most {@link #MAX_AUTO_SHARDS}, and
     * fewer while a shard's share of the capacity would hold under
     * {@value #AUTO_MIN_SEGMENTS_PER_SHARD} segments of the size the largest record needs, or under
     * {@link #AUTO_MIN_SHARD_BYTES} (so a 64 MiB store with 1 MiB values is one shard; a 4 GiB one
     * on 16 cores, 32). Once concluded, the count chosen.
     *
     * <p>Each shard has its share of the capacity to itself: with eviction off, a shard that is full
     * refuses writes ({@link Status#FULL}) while others still have room (a hash split is even to
     * about the square root of a shard's keys), and with eviction on, a shard evicts from its own
     * oldest segments.
     */
    public int shards()
    {
        return shards;
    }

    /** 1 to keep one store; at most {@link #MAX_SHARDS}. */
    public CacheConfig shards(final int shards)
    {
        // The layout is fixed at conclude (found by review: shards(4) after a one-store conclude
        // built four stores of the whole budget each).
        checkSettable("shards", shards, this.shards);
        this.shards = shards;
        return this;
    }

    /** One shard's settings (a share of the capacity and index, the rest alike), concluded; this config itself when there is one shard. */
    public CacheConfig shardConfig()
    {
        conclude();
        if (shardConfig == null)
        {
            return this;
        }
        // Settings a store reads only when built may still be set after conclude (a test's clock, a
        // benchmark's fixed seed, eviction), as with one store: they reach the shards when those are
        // built. A fresh copy each time, so the shards of a cache built earlier keep theirs (review).
        return new CacheConfig()
            .capacityBytes(shardConfig.capacityBytes)
            .segmentBytes(shardConfig.segmentBytes)
            .indexSlots(shardConfig.indexSlots)
            .averageEntryBytes(averageEntryBytes)
            .maxKeyLength(maxKeyLength)
            .maxValueLength(maxValueLength)
            .evictionEnabled(evictionEnabled)
            .reclaimAheadSegments(reclaimAheadPerShard(shards))
            .clock(clock)
            .hashSeed(hashSeed)
            .shards(1)
            .conclude();
    }

    /** Each shard keeps its share of the segments open ahead, rounded up: the setting is the cache's total. */
    private int reclaimAheadPerShard(final int shardCount)
    {
        return (reclaimAheadSegments + shardCount - 1) / shardCount;
    }

    private void checkNotFrozen(final String setting)
    {
        if (frozen)
        {
            throw new IllegalStateException(setting + " set on the config of a cache built from it: copy the settings " +
                "into a new CacheConfig for another cache");
        }
    }

    /**
     * A layout field may change until {@link #conclude()} (found by review: segmentBytes(5000) after
     * conclude reached a one-store cache unvalidated, and its puts failed on internal bounds checks).
     */
    private void checkSettable(final String setting, final long value, final long current)
    {
        checkNotFrozen(setting);
        if (concluded && value != current)
        {
            throw new IllegalStateException(setting + "=" + value + " set after conclude() laid out the store with " +
                setting + "=" + current);
        }
    }

    /** Called by the cache built from this config (its {@code ShardedStore}); see the class note. */
    public void freeze()
    {
        frozen = true;
    }

    /**
     * Checks the limits, which may still change after {@link #conclude()}: a store calls it when
     * built (found by review: a maxKeyLength over the record's 17-bit key length, set after conclude,
     * stored keys cut short, and a maxValueLength near 2^31 overflowed the record length).
     *
     * @throws IllegalArgumentException naming the limit that is out of range.
     */
    public void validateLimits()
    {
        if (maxKeyLength < 1 || maxKeyLength > dev.ferrite.engine.log.RecordDescriptor.MAX_KEY_LENGTH)
        {
            throw new IllegalArgumentException("maxKeyLength=" + maxKeyLength + " must be in [1, " +
                dev.ferrite.engine.log.RecordDescriptor.MAX_KEY_LENGTH + "]");
        }
        if (maxValueLength < 0 || maxValueLength > dev.ferrite.engine.log.RecordDescriptor.MAX_VALUE_LENGTH)
        {
            throw new IllegalArgumentException("maxValueLength=" + maxValueLength + " must be in [0, " +
                dev.ferrite.engine.log.RecordDescriptor.MAX_VALUE_LENGTH + "]");
        }
        final long largestFiller = dev.ferrite.engine.log.RecordDescriptor.FILLER_HEADER_LENGTH +
            (long)dev.ferrite.engine.log.RecordDescriptor.MAX_VALUE_LENGTH;
        if (maxRecordBytes() > largestFiller)
        {
            // The end of a segment that a record does not fit into is covered by a filler, whose length
            // is in the value-length field: a larger record could leave an end no filler can describe.
            throw new IllegalArgumentException("maxKeyLength=" + maxKeyLength + " plus maxValueLength=" + maxValueLength +
                " make records of up to " + maxRecordBytes() + " bytes; at most " + largestFiller + " are supported");
        }
    }

    /** Largest record the limits allow, header and padding included. */
    public long maxRecordBytes()
    {
        return (8L + 32 + maxKeyLength + maxValueLength + 7) & ~7L;
    }

    /**
     * Validates the settings and derives the layout. Idempotent.
     *
     * @return this, concluded.
     * @throws IllegalArgumentException naming the setting that is out of range.
     */
    public CacheConfig conclude()
    {
        if (concluded)
        {
            return this;
        }
        validateLimits();
        if (averageEntryBytes < 1)
        {
            throw new IllegalArgumentException("averageEntryBytes=" + averageEntryBytes + " must be positive");
        }
        if (clock == null)
        {
            throw new IllegalArgumentException("clock=null");
        }
        final long minimum = (long)MIN_SEGMENTS * MIN_SEGMENT_BYTES * 2;
        if (capacityBytes < minimum)
        {
            throw new IllegalArgumentException("capacityBytes=" + capacityBytes + " must be at least " + minimum);
        }
        if (shards < 0 || shards > MAX_SHARDS)
        {
            throw new IllegalArgumentException("shards=" + shards + " must be in [0, " + MAX_SHARDS + "] (0 picks)");
        }
        final int shardCount = shards == 0 ? autoShards() : shards;
        if (shardCount > 1)
        {
            concludeSharded(shardCount);
            return this;
        }
        shards = 1;

        final long entryEstimate = 32 + averageEntryBytes;
        if (indexSlots <= 0)
        {
            // About one slot per expected entry: chains then average one record. Past MAX_INDEX_SLOTS
            // (stores of tens of GiB) chains grow longer instead.
            indexSlots = Math.min(MAX_INDEX_SLOTS, Math.max(64, capacityBytes / (entryEstimate + 9)));
        }
        else if (indexSlots > MAX_INDEX_SLOTS)
        {
            // Checked here, not by the store after it has allocated the whole budget (found by review:
            // an ArithmeticException from the store's constructor, every default config above 45 GiB).
            throw new IllegalArgumentException("indexSlots=" + indexSlots + " must be at most " + MAX_INDEX_SLOTS);
        }
        final long indexBytes = indexSlots * 8;
        final long fixedBytes = indexBytes + policyBytes(indexSlots);
        if (fixedBytes >= capacityBytes / 2)
        {
            throw new IllegalArgumentException("indexSlots=" + indexSlots + " leaves too little of capacityBytes=" +
                capacityBytes + " for data");
        }
        final long dataBudget = capacityBytes - fixedBytes;
        if (segmentBytes <= 0)
        {
            long size = Long.highestOneBit(Math.max(MIN_SEGMENT_BYTES, dataBudget / 64));
            final long wantedForRecord = smallestSegmentBytesFor(maxRecordBytes());
            final long largestAllowed = Long.highestOneBit(dataBudget / (MIN_SEGMENTS + 1));
            size = Math.min(Math.max(size, wantedForRecord), largestAllowed);
            segmentBytes = (int)Math.min(MAX_SEGMENT_BYTES, Math.max(MIN_SEGMENT_BYTES, size));
        }
        if (segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > MAX_SEGMENT_BYTES || Integer.bitCount(segmentBytes) != 1)
        {
            throw new IllegalArgumentException("segmentBytes=" + segmentBytes + " must be a power of two in [" +
                MIN_SEGMENT_BYTES + ", " + MAX_SEGMENT_BYTES + "]");
        }
        final long perSegment = segmentBytes + dev.ferrite.engine.log.SegmentTable.ENTRY_LENGTH;
        final long count = dataBudget / perSegment;
        if (count < MIN_SEGMENTS)
        {
            throw new IllegalArgumentException("capacityBytes=" + capacityBytes + " holds " + count +
                " segments of segmentBytes=" + segmentBytes + ", fewer than " + MIN_SEGMENTS);
        }
        if (count > MAX_SEGMENTS)
        {
            throw new IllegalArgumentException("capacityBytes=" + capacityBytes + " holds " + count +
                " segments of segmentBytes=" + segmentBytes + ", more than " + MAX_SEGMENTS + ": choose larger segments");
        }
        if (reclaimAheadSegments < 0 || reclaimAheadSegments > count / 4)
        {
            throw new IllegalArgumentException("reclaimAheadSegments=" + reclaimAheadSegments + " must be in [0, " +
                count / 4 + "] (a quarter of the " + count + " segments)");
        }
        segmentCount = (int)count;
        concluded = true;
        return this;
    }

    /** See {@link #shards()}. */
    private int autoShards()
    {
        return autoShards(capacityBytes, segmentBytes > 0 ? segmentBytes : smallestSegmentBytesFor(maxRecordBytes()));
    }

    /** The smallest segment a record of this many bytes fits: a power of two, at least {@link #MIN_SEGMENT_BYTES}. */
    public static long smallestSegmentBytesFor(final long recordBytes)
    {
        return Math.max(MIN_SEGMENT_BYTES, Long.highestOneBit(recordBytes - 1) << 1);
    }

    /**
     * The shard count {@link #shards()} picks on this machine for a store of {@code capacityBytes}
     * whose segments must be at least {@code segmentBytes}: one below {@link #AUTO_MIN_PROCESSORS}
     * processors; else the processors rounded up to a power of two, times two, at most
     * {@link #MAX_AUTO_SHARDS}, halved while a shard's share would hold under
     * {@link #AUTO_MIN_SEGMENTS_PER_SHARD} such segments or {@link #AUTO_MIN_SHARD_BYTES}.
     */
    public static int autoShards(final long capacityBytes, final long segmentBytes)
    {
        return autoShards(capacityBytes, segmentBytes, Runtime.getRuntime().availableProcessors());
    }

    /** {@link #autoShards(long, long)} for a machine of {@code processors} processors. */
    public static int autoShards(final long capacityBytes, final long segmentBytes, final int processors)
    {
        if (processors < AUTO_MIN_PROCESSORS)
        {
            return 1;
        }
        int count = Math.min(MAX_AUTO_SHARDS, Integer.highestOneBit(processors * 2 - 1) * 2);
        while (count > 1 && capacityBytes / count < Math.max(AUTO_MIN_SHARD_BYTES, AUTO_MIN_SEGMENTS_PER_SHARD * segmentBytes))
        {
            count >>= 1;
        }
        return count;
    }

    /** Concludes one shard's config, then this one's totals from it. */
    private void concludeSharded(final int shardCount)
    {
        final CacheConfig shard = new CacheConfig()
            .capacityBytes(capacityBytes / shardCount)
            .maxKeyLength(maxKeyLength)
            .maxValueLength(maxValueLength)
            .evictionEnabled(evictionEnabled)
            .averageEntryBytes(averageEntryBytes)
            .segmentBytes(segmentBytes)
            .indexSlots(indexSlots <= 0 ? 0 : (indexSlots + shardCount - 1) / shardCount)
            .reclaimAheadSegments(reclaimAheadPerShard(shardCount))
            .clock(clock)
            .hashSeed(hashSeed)
            .shards(1);
        try
        {
            shard.conclude();
        }
        catch (final IllegalArgumentException e)
        {
            throw new IllegalArgumentException("shards=" + shardCount + " leave each shard capacityBytes=" +
                shard.capacityBytes + ": " + e.getMessage(), e);
        }
        if ((long)shard.segmentCount * shardCount > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("capacityBytes=" + capacityBytes + " in " + shardCount + " shards holds " +
                (long)shard.segmentCount * shardCount + " segments of segmentBytes=" + shard.segmentBytes +
                ", more than " + Integer.MAX_VALUE + ": choose larger segments");
        }
        shardConfig = shard;
        shards = shardCount;
        segmentBytes = shard.segmentBytes;
        indexSlots = shard.indexSlots * shardCount;
        segmentCount = shard.segmentCount * shardCount;
        concluded = true;
    }

    /** Off-heap bytes of the eviction policy's state: the frequency sketch and the advisor's sample buffer. */
    public static long policyBytes(final long indexSlots)
    {
        return dev.ferrite.engine.eviction.FrequencySketch.bytesFor(indexSlots) +
            dev.ferrite.engine.eviction.KeepPolicyAdvisor.sampleBufferBytes(indexSlots);
    }

    /** Off-heap bytes the store will allocate: never more than {@link #capacityBytes()}. */
    public long allocatedBytes()
    {
        conclude();
        if (shardConfig != null)
        {
            return shardConfig.allocatedBytes() * shards;
        }
        return indexSlots * 8 + policyBytes(indexSlots) +
            (long)segmentCount * (segmentBytes + dev.ferrite.engine.log.SegmentTable.ENTRY_LENGTH);
    }

    @Override
    public String toString()
    {
        return "CacheConfig{capacityBytes=" + capacityBytes + ", maxKeyLength=" + maxKeyLength + ", maxValueLength=" +
            maxValueLength + ", evictionEnabled=" + evictionEnabled + ", segmentBytes=" + segmentBytes +
            ", segmentCount=" + segmentCount + ", indexSlots=" + indexSlots + ", shards=" + shards + '}';
    }
}
