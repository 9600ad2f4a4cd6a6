package dev.ferrite.bench.peers;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.log.RecordDescriptor;
import dev.ferrite.engine.log.SegmentTable;

/**
 * Turns "hold N records of this size" into a Ferrite byte budget, since Ferrite is configured in
 * bytes, not entries.
 *
 * <pre>
 *   recordBytes        = align8(32 + keyBytes + valueBytes)            (RecordDescriptor)
 *   recordsPerSegment  = floor((segmentBytes - 1) / recordBytes)       (the tail never rests on a boundary)
 *   segments           = ceil(N * headroom / recordsPerSegment) + RESERVED_SEGMENTS (2)
 *   capacityBytes      = indexSlots * 8 + CacheConfig.policyBytes(indexSlots)
 *                        + segments * (segmentBytes + 128)             (128 = segment table entry)
 * </pre>
 *
 * Normal writes may fill {@code segments - 2} segments, so the log holds
 * {@code (segments - 2) * recordsPerSegment} records before its first reclaim, and one segment's
 * worth fewer right after one: a full store holds between N - recordsPerSegment and N records
 * (headroom 1).
 *
 * <p>With shards ({@code CacheConfig.shards}) each shard is sized so for {@code ceil(N / shards)}
 * records and {@code ceil(indexSlots / shards)} slots, and the capacity is the shards' sum. A hash
 * split is uneven by about the square root of a shard's records (0.6% at 30,000), well inside the
 * throughput benchmarks' headroom.
 */
public final class FerriteSizing
{
    private FerriteSizing()
    {
    }

    public static int recordBytes(final int keyBytes, final int valueBytes)
    {
        return RecordDescriptor.recordLength(keyBytes, valueBytes);
    }

    public static int recordsPerSegment(final int segmentBytes, final int recordBytes)
    {
        return (segmentBytes - 1) / recordBytes;
    }

    /**
     * @param headroom  data capacity as a multiple of N: above 1 leaves the log room for superseded
     *                  versions, so updates do not force evictions.
     * @param segmentBytes a power of two in [4 KiB, 1 GiB].
     */
    public static CacheConfig config(
        final long entries, final int keyBytes, final int valueBytes, final double headroom,
        final int segmentBytes, final long indexSlots)
    {
        return config(entries, keyBytes, valueBytes, headroom, segmentBytes, indexSlots, 1);
    }

    /** As above, split into {@code shards} shards of equal size. */
    public static CacheConfig config(
        final long entries, final int keyBytes, final int valueBytes, final double headroom,
        final int segmentBytes, final long indexSlots, final int shards)
    {
        final int recordBytes = recordBytes(keyBytes, valueBytes);
        final int perSegment = recordsPerSegment(segmentBytes, recordBytes);
        if (perSegment < 1)
        {
            throw new IllegalArgumentException("segmentBytes=" + segmentBytes + " cannot hold a record of " + recordBytes + " bytes");
        }
        final long shardEntries = (entries + shards - 1) / shards;
        final long shardSlots = (indexSlots + shards - 1) / shards;
        final long shardSegments = (long)Math.ceil(shardEntries * headroom / perSegment) + CacheConfig.RESERVED_SEGMENTS;
        final long segments = shardSegments * shards;
        final long capacityBytes = shards * (shardSlots * 8 + CacheConfig.policyBytes(shardSlots) +
            shardSegments * ((long)segmentBytes + SegmentTable.ENTRY_LENGTH));
        final CacheConfig config = new CacheConfig()
            .capacityBytes(capacityBytes)
            .segmentBytes(segmentBytes)
            .indexSlots(shardSlots * shards)
            .maxKeyLength(keyBytes)
            .maxValueLength(valueBytes)
            .averageEntryBytes(keyBytes + valueBytes)
            .shards(shards)
            .conclude();
        if (config.segmentCount() != segments)
        {
            throw new IllegalStateException("expected " + segments + " segments, config derived " + config);
        }
        return config;
    }

    /** Segments of about 1/64 of the data (a shard's, when sharded), between 64 KiB and 4 MiB: what a large store would use. */
    public static int largeStoreSegmentBytes(final long entries, final int recordBytes)
    {
        final long dataBytes = entries * recordBytes;
        final long wanted = Long.highestOneBit(Math.max(1, dataBytes / 64));
        return (int)Math.max(64 * 1024, Math.min(4 * 1024 * 1024, wanted));
    }
}
