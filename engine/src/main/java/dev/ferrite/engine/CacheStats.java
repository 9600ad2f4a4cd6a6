package dev.ferrite.engine;

/**
 * A point-in-time reading of a store's counters. Counters are summed from per-thread cells, so a
 * reading taken during traffic is approximate but never torn per counter.
 *
 * @param hits               gets that found a live entry.
 * @param misses             gets that found nothing, or an expired entry.
 * @param puts               successful writes of any kind.
 * @param removes            successful removes.
 * @param evictions          live entries dropped to make room.
 * @param expirations        expired entries whose space was reclaimed.
 * @param relocations        live entries copied forward by reclaim (second chances, or compaction).
 * @param entries            live entries, approximately (expired ones count until reclaimed).
 * @param bytesInUse         bytes the log occupies now, live and dead records alike.
 * @param capacityBytes      the configured byte budget.
 * @param allocatedBytes     off-heap bytes actually allocated (index, sketch, segment table, data).
 */
public record CacheStats(
    long hits,
    long misses,
    long puts,
    long removes,
    long evictions,
    long expirations,
    long relocations,
    long entries,
    long bytesInUse,
    long capacityBytes,
    long allocatedBytes)
{
    public double hitRatio()
    {
        final long requests = hits + misses;
        return requests == 0 ? 0 : (double)hits / requests;
    }
}
