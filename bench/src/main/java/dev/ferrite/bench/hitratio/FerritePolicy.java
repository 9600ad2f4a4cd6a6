package dev.ferrite.bench.hitratio;

import dev.ferrite.bench.peers.FerriteSizing;
import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.FerriteCache;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Ferrite's default eviction policy at a capacity of about N records. Ferrite is budgeted in
 * bytes, so N becomes bytes through {@link FerriteSizing} with a fixed record per run:
 *
 * <pre>
 *   key       = the trace key as 8 bytes (big-endian long)
 *   k         = records per 4 KiB segment = clamp(N / segmentsTarget, 1, 85)   (segmentsTarget 64)
 *   value     = padding so that align8(32 + 8 + value) = floor(4095 / k) rounded down to 8
 *   segments  = ceil(N / k) + RESERVED_SEGMENTS (2)
 *   indexSlots = N; capacityBytes = N * 8 + policy(N) (sketch and sample buffer) + segments * (4096 + 64)
 * </pre>
 *
 * A production store derives segments of about 1/64 of its data, so it reclaims 1/64 of its
 * records at a time; {@code k = N / 64} keeps that proportion at trace sizes (a fixed 48-byte
 * record would need N of at least 510 and reclaim a larger share of a small cache at once).
 * {@code --valueBytes} fixes the record instead. The hash seed is fixed so runs repeat exactly.
 */
public final class FerritePolicy implements ReplayPolicy
{
    public static final int KEY_BYTES = 8;
    public static final int SEGMENT_BYTES = 4096;
    public static final long HASH_SEED = 0x5EED_F00DL;
    /**
     * Shards to split the cache into, as {@code CacheConfig.shards} would on a large store: system
     * property {@code bench.hitratio.shards}, default 1. Each shard gets {@code segmentsTarget}
     * segments of its own share; a cache too small for that many shards of the smallest store
     * (64 KiB) gets fewer, halving as the engine's own choice does.
     */
    public static final int SHARDS = Integer.getInteger("bench.hitratio.shards", 1);

    private final FerriteCache cache;
    private final UnsafeBuffer key = new UnsafeBuffer(new byte[KEY_BYTES]);
    private final UnsafeBuffer value;
    private final UnsafeBuffer destination;
    private final int valueBytes;
    private long failedPuts;

    public FerritePolicy(final int maximumSize, final int segmentsTarget, final int fixedValueBytes)
    {
        if (SHARDS < 1)
        {
            throw new IllegalArgumentException("bench.hitratio.shards=" + SHARDS + " must be at least 1");
        }
        int shards = SHARDS;
        CacheConfig config = null;
        int bytes = 0;
        while (config == null)
        {
            bytes = fixedValueBytes >= 0 ? fixedValueBytes : valueBytesFor(maximumSize / shards, segmentsTarget);
            try
            {
                config = FerriteSizing.config(maximumSize, KEY_BYTES, bytes, 1.0, SEGMENT_BYTES, maximumSize, shards);
            }
            catch (final IllegalArgumentException tooSmall)
            {
                if (shards == 1)
                {
                    throw tooSmall;
                }
                shards >>= 1;
            }
        }
        this.valueBytes = bytes;
        this.cache = FerriteCache.create(config.hashSeed(HASH_SEED));
        this.value = new UnsafeBuffer(new byte[Math.max(1, valueBytes)]);
        this.destination = new UnsafeBuffer(new byte[Math.max(1, valueBytes)]);
    }

    /** Value bytes that make {@code clamp(N / segmentsTarget, 1, 85)} records fill a 4 KiB segment. */
    public static int valueBytesFor(final int maximumSize, final int segmentsTarget)
    {
        final int smallest = FerriteSizing.recordBytes(KEY_BYTES, 8);
        final int maxPerSegment = FerriteSizing.recordsPerSegment(SEGMENT_BYTES, smallest);
        final int perSegment = Math.max(1, Math.min(maxPerSegment, maximumSize / Math.max(1, segmentsTarget)));
        final int recordBytes = ((SEGMENT_BYTES - 1) / perSegment) & ~7;
        return recordBytes - 32 - KEY_BYTES;
    }

    public static CacheConfig config(final int maximumSize, final int valueBytes)
    {
        return FerriteSizing.config(maximumSize, KEY_BYTES, valueBytes, 1.0, SEGMENT_BYTES, maximumSize);
    }

    public int valueBytes()
    {
        return valueBytes;
    }

    public long capacityBytes()
    {
        return cache.config().capacityBytes();
    }

    public long failedPuts()
    {
        return failedPuts;
    }

    @Override
    public boolean access(final int keyValue)
    {
        key.putLong(0, keyValue);
        if (cache.get(key, 0, KEY_BYTES, destination, 0, null) >= 0)
        {
            return true;
        }
        if (cache.put(key, 0, KEY_BYTES, value, 0, valueBytes, 0) < 0)
        {
            failedPuts++;
        }
        return false;
    }

    @Override
    public long size()
    {
        return cache.size();
    }

    @Override
    public void close()
    {
        cache.close();
    }
}
