package dev.ferrite.engine.core;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.CacheStats;
import dev.ferrite.engine.EntryMeta;
import dev.ferrite.engine.EntryVisitor;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The cache's data, split by key hash into independent {@link Store}s ({@link CacheConfig#shards()}).
 * A key belongs to one shard for good, so every version of it, its index slot and its record are in
 * that shard, and each operation is exactly its shard's operation.
 *
 * <h2>Why shards</h2>
 * One store has one log: every write appends at its one tail (a CAS on one word) and every write
 * short of room reclaims its one oldest segment, claiming batches of records by CAS on that
 * segment's one cursor. On 16 cores puts stopped scaling at 4 threads (0.9-1.5 M puts/s at 4, 8 and
 * 16 threads; the device run of 2026-12-04), with the profile in that reclaim. Shards give each
 * share of the keys its own tail, head, index, sketch, operation registry and counters, so writers
 * on different cores mostly work in different logs; the same split as Chronicle Map's segments or
 * OHC's, without their locks.
 *
 * <p>What it costs: a shard evicts from its own oldest segments, so eviction follows recency within
 * the shard (an even split by hash, so statistically the same); a shard's share of the capacity must
 * hold segments large enough for the largest record, which caps the count for small caches; a
 * thread keeps scratch per shard it touches (about 4 KiB).
 *
 * <h2>One keep policy</h2>
 * Only the first shard samples operations for a {@code KeepPolicyAdvisor}; the others follow its
 * advice. The shards are alike in shape and, split by hash, in workload, so one shard's shadows
 * answer for all, at one shard's sampling cost (the whole cache samples as one store would) and one
 * shard's heap (the shadows are the engine's largest heap use, up to about 1.5 MiB).
 *
 * <h2>Index slots</h2>
 * Numbered shard by shard: slot {@code j} of shard {@code i} is {@code i * S + j}, every shard having
 * {@code S} slots. Scans and iterators page through one range as with one store.
 *
 * <h2>Progress</h2>
 * Routing is a hash (the one the shard would compute anyway, computed once) and a multiply; every
 * operation has its shard's guarantee ({@link Store}). Nothing here allocates per operation; a scan
 * allocates what one store's does for each shard it visits, and one small object.
 */
public final class ShardedStore implements AutoCloseable
{
    /** Spreads the key hash before picking a shard: the index and the sketch use its bits directly. */
    private static final long SHARD_MIX = 0xC2B2_AE3D_27D4_EB4FL;

    private final CacheConfig config;
    private final Store[] shards;
    private final long shardSlots;
    private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();

    public ShardedStore(final CacheConfig config)
    {
        this.config = config.conclude();
        final int count = config.shards();
        this.shards = new Store[count];
        if (count == 1)
        {
            shards[0] = new Store(config);
        }
        else
        {
            final CacheConfig shardConfig = config.shardConfig();
            try
            {
                for (int i = 0; i < count; i++)
                {
                    shards[i] = new Store(shardConfig, i == 0 ? null : shards[0]);
                }
            }
            catch (final RuntimeException | Error e)
            {
                for (final Store shard : shards)
                {
                    if (shard != null)
                    {
                        shard.close(); // the shards already built would hold their share of the budget for good
                    }
                }
                throw e;
            }
        }
        this.shardSlots = shards[0].indexSlotCount();
        config.freeze();
    }

    public CacheConfig config()
    {
        return config;
    }

    public int shardCount()
    {
        return shards.length;
    }

    public Store shard(final int index)
    {
        return shards[index];
    }

    /** The shard of a key hash: the top bits of a multiply, spread evenly over any shard count. */
    int shardOf(final long hash)
    {
        return (int)((((hash * SHARD_MIX) >>> 32) * shards.length) >>> 32);
    }

    // ---------------------------------------------------------------------------------------------
    // Operations: check the key, hash it once, hand both to the key's shard.

    /** See {@link Store#get(DirectBuffer, int, int, MutableDirectBuffer, int, EntryMeta)}. */
    public int get(
        final DirectBuffer key, final int keyOffset, final int keyLength,
        final MutableDirectBuffer destination, final int destinationOffset, final EntryMeta meta)
    {
        final Store first = shards[0];
        final int keyCheck = first.checkKey(key, keyOffset, keyLength);
        if (keyCheck != 0)
        {
            Metas.clear(meta);
            return keyCheck;
        }
        final long hash = first.hash(key, keyOffset, keyLength);
        return shards[shardOf(hash)].get(hash, key, keyOffset, keyLength, destination, destinationOffset, meta);
    }

    /** See {@link Store#containsKey(DirectBuffer, int, int)}. */
    public boolean containsKey(final DirectBuffer key, final int keyOffset, final int keyLength)
    {
        final Store first = shards[0];
        if (first.checkKey(key, keyOffset, keyLength) != 0)
        {
            return false;
        }
        final long hash = first.hash(key, keyOffset, keyLength);
        return shards[shardOf(hash)].containsKey(hash, key, keyOffset, keyLength);
    }

    /** See {@link Store#put(DirectBuffer, int, int, DirectBuffer, int, int, long, int, long, EntryMeta)}. */
    public long put(
        final DirectBuffer key, final int keyOffset, final int keyLength,
        final DirectBuffer value, final int valueOffset, final int valueLength,
        final long expiresAtMillis, final int mode, final long expectedVersion, final EntryMeta meta)
    {
        final Store first = shards[0];
        final int keyCheck = first.checkKey(key, keyOffset, keyLength);
        if (keyCheck != 0)
        {
            Metas.clear(meta);
            return keyCheck;
        }
        final long hash = first.hash(key, keyOffset, keyLength);
        return shards[shardOf(hash)].put(hash, key, keyOffset, keyLength, value, valueOffset, valueLength,
            expiresAtMillis, mode, expectedVersion, meta);
    }

    /** See {@link Store#remove(DirectBuffer, int, int, long)}. */
    public long remove(final DirectBuffer key, final int keyOffset, final int keyLength, final long expectedVersion)
    {
        final Store first = shards[0];
        final int keyCheck = first.checkKey(key, keyOffset, keyLength);
        if (keyCheck != 0)
        {
            return Store.absentWhenTooLong(keyCheck);
        }
        final long hash = first.hash(key, keyOffset, keyLength);
        return shards[shardOf(hash)].remove(hash, key, keyOffset, keyLength, expectedVersion);
    }

    /** See {@link Store#touch(DirectBuffer, int, int, long)}. */
    public long touch(final DirectBuffer key, final int keyOffset, final int keyLength, final long expiresAtMillis)
    {
        final Store first = shards[0];
        final int keyCheck = first.checkKey(key, keyOffset, keyLength);
        if (keyCheck != 0)
        {
            return Store.absentWhenTooLong(keyCheck);
        }
        final long hash = first.hash(key, keyOffset, keyLength);
        return shards[shardOf(hash)].touch(hash, key, keyOffset, keyLength, expiresAtMillis);
    }

    // ---------------------------------------------------------------------------------------------
    // Scans, statistics, lifecycle.

    /** Index slots of all shards: the range of {@link #scan}. */
    public long indexSlotCount()
    {
        return shardSlots * shards.length;
    }

    /**
     * Weakly consistent scan of the cache's index slots {@code [fromIndexSlot, toIndexSlot)}, shard
     * by shard; see {@link Store#scan}.
     *
     * @return where to resume: {@code toIndexSlot} capped at {@link #indexSlotCount()} when done, or
     * the slot after the one where the visitor returned false.
     */
    public long scan(final long fromIndexSlot, final long toIndexSlot, final int routingSlot, final EntryVisitor visitor)
    {
        if (shards.length == 1)
        {
            return shards[0].scan(fromIndexSlot, toIndexSlot, routingSlot, visitor);
        }
        if (visitor == null)
        {
            throw new NullPointerException("visitor");
        }
        shards[0].checkOpen(); // an empty range of a closed cache must throw as one store's does (review)
        final long slotCount = indexSlotCount();
        if (fromIndexSlot < 0 || fromIndexSlot > toIndexSlot || fromIndexSlot > slotCount)
        {
            throw new IllegalArgumentException("fromIndexSlot=" + fromIndexSlot + " toIndexSlot=" + toIndexSlot +
                " indexSlotCount=" + slotCount);
        }
        final long end = Math.min(toIndexSlot, slotCount);
        // A shard's scan returns its range's end both when done and when the visitor stopped at its
        // last slot: only the visitor can tell the next shard not to start.
        final StopWatchingVisitor watched = new StopWatchingVisitor(visitor);
        long position = fromIndexSlot;
        while (position < end)
        {
            final int shard = (int)(position / shardSlots);
            final long shardStart = shard * shardSlots;
            final long resume = shards[shard].scan(
                position - shardStart, Math.min(shardSlots, end - shardStart), routingSlot, watched);
            position = shardStart + resume;
            if (watched.stopped)
            {
                return position;
            }
        }
        return end;
    }

    /** Remembers that the visitor asked to stop. */
    private static final class StopWatchingVisitor implements EntryVisitor
    {
        private final EntryVisitor visitor;
        boolean stopped;

        StopWatchingVisitor(final EntryVisitor visitor)
        {
            this.visitor = visitor;
        }

        @Override
        public boolean visit(
            final DirectBuffer key, final int keyOffset, final int keyLength,
            final DirectBuffer value, final int valueOffset, final int valueLength,
            final long version, final long expiresAtMillis)
        {
            if (visitor.visit(key, keyOffset, keyLength, value, valueOffset, valueLength, version, expiresAtMillis))
            {
                return true;
            }
            stopped = true;
            return false;
        }
    }

    /** The shards' counters summed, with the configured capacity. Allocates the result (and one per shard). */
    public CacheStats stats()
    {
        if (shards.length == 1)
        {
            return shards[0].stats();
        }
        long hits = 0, misses = 0, puts = 0, removes = 0, evictions = 0, expirations = 0, relocations = 0;
        long entries = 0, bytesInUse = 0, allocatedBytes = 0;
        for (final Store shard : shards)
        {
            final CacheStats s = shard.stats();
            hits += s.hits();
            misses += s.misses();
            puts += s.puts();
            removes += s.removes();
            evictions += s.evictions();
            expirations += s.expirations();
            relocations += s.relocations();
            entries += s.entries();
            bytesInUse += s.bytesInUse();
            allocatedBytes += s.allocatedBytes();
        }
        return new CacheStats(hits, misses, puts, removes, evictions, expirations, relocations, entries, bytesInUse,
            config.capacityBytes(), allocatedBytes);
    }

    /** Live entries of all shards, approximately. */
    public long entryCount()
    {
        long entries = 0;
        for (final Store shard : shards)
        {
            entries += shard.entryCount();
        }
        return entries;
    }

    public boolean isClosed()
    {
        return closing.get();
    }

    /**
     * Closes every shard (see {@link Store#close()}), the first shard last. Only the first call
     * closes (one CAS); any other, concurrent or later, returns at once, as with one store.
     *
     * <p>Shard 0 last: every shard's reclaim drains shard 0's advisor, whose sample buffers and
     * sketch live in shard 0's memory, and each shard's close waits only for its own operations.
     * Closed first, shard 0's memory was freed under another shard's reclaim (found by review: the
     * JVM died in {@code KeepPolicyAdvisor.drain} in the first round of closing during writes).
     */
    @Override
    public void close()
    {
        if (!closing.compareAndSet(false, true))
        {
            return;
        }
        for (int i = shards.length - 1; i >= 0; i--)
        {
            shards[i].close();
        }
    }
}
