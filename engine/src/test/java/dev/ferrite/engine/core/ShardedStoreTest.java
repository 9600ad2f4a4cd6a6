package dev.ferrite.engine.core;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.CacheStats;
import dev.ferrite.engine.FerriteCache;
import dev.ferrite.engine.Status;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cache split into shards ({@link ShardedStore}): the layout adds up to the budget, keys spread
 * evenly and stay in their shard, scans see every shard once and stop where the visitor says, one
 * advisor serves all shards, and every shard evicts and closes.
 */
class ShardedStoreTest
{
    private static final int SHARDS = 8;

    private static CacheConfig config()
    {
        return new CacheConfig().capacityBytes(32 << 20).maxValueLength(16 * 1024).shards(SHARDS);
    }

    @Test
    void shouldSplitTheBudgetAndLayoutEvenly()
    {
        final CacheConfig config = config().conclude();
        final CacheConfig shard = config.shardConfig();
        assertEquals(SHARDS, config.shards());
        assertEquals(1, shard.shards());
        assertEquals((32 << 20) / SHARDS, shard.capacityBytes());
        assertEquals(shard.segmentCount() * SHARDS, config.segmentCount());
        assertEquals(shard.indexSlots() * SHARDS, config.indexSlots());
        assertEquals(shard.segmentBytes(), config.segmentBytes());
        assertEquals(config.hashSeed(), shard.hashSeed());
        assertTrue(config.allocatedBytes() <= config.capacityBytes(), config.toString());
        try (ShardedStore store = new ShardedStore(config))
        {
            assertEquals(SHARDS, store.shardCount());
            assertEquals(config.indexSlots(), store.indexSlotCount());
            final CacheStats stats = store.stats();
            assertEquals(config.capacityBytes(), stats.capacityBytes());
            assertEquals(config.allocatedBytes(), stats.allocatedBytes());
        }
    }

    @Test
    void shouldGiveShardsTheSeedAndClockSetAfterConclude()
    {
        final CacheConfig config = config().conclude();
        final org.agrona.concurrent.CachedEpochClock clock = new org.agrona.concurrent.CachedEpochClock();
        config.hashSeed(42).clock(clock);
        try (ShardedStore store = new ShardedStore(config))
        {
            for (int s = 0; s < SHARDS; s++)
            {
                assertEquals(42, store.shard(s).hashSeed());
                assertSame(clock, store.shard(s).config().clock());
            }
        }
    }

    @Test
    void shouldPickOneShardForASmallStoreOfLargeValues()
    {
        // 64 MiB with 1 MiB values: 2 MiB segments, so even two shards would hold under 64 segments each.
        assertEquals(1, new CacheConfig().capacityBytes(64 << 20).conclude().shards());
    }

    @Test
    void shouldPickShardsThatEachHoldEnoughSegments()
    {
        final CacheConfig config = new CacheConfig().capacityBytes(256L << 20).maxValueLength(1024).conclude();
        final int shards = config.shards();
        final int processors = Runtime.getRuntime().availableProcessors();
        if (processors < CacheConfig.AUTO_MIN_PROCESSORS)
        {
            assertEquals(1, shards, "one store on " + processors + " processors");
            return;
        }
        assertEquals(1, Integer.bitCount(shards), "a power of two: " + shards);
        assertTrue(shards >= 2 && shards <= CacheConfig.MAX_AUTO_SHARDS && shards <= 2 * Integer.highestOneBit(2 * processors - 1),
            shards + " shards for " + processors + " processors");
        final long largestRecordSegment = Long.highestOneBit(config.maxRecordBytes() - 1) << 1; // 64 KiB keys: 128 KiB
        assertTrue(config.capacityBytes() / shards >= CacheConfig.AUTO_MIN_SEGMENTS_PER_SHARD * largestRecordSegment);
        assertTrue(config.capacityBytes() / shards >= CacheConfig.AUTO_MIN_SHARD_BYTES);
        // Small records, but small shards lose hits: 8 MiB is two shards of 4 MiB at most.
        assertTrue(new CacheConfig().capacityBytes(8 << 20).maxKeyLength(64).maxValueLength(1024).conclude().shards() <= 2);
        assertTrue(config.segmentBytes() >= largestRecordSegment, config.toString());
    }

    @Test
    void shouldPickByProcessorsCapacityAndLargestRecord()
    {
        final long mib = 1 << 20;
        assertEquals(1, CacheConfig.autoShards(1L << 30, 4096, 2), "one store below four processors");
        assertEquals(1, CacheConfig.autoShards(1L << 30, 4096, 3));
        assertEquals(8, CacheConfig.autoShards(1L << 30, 4096, 4));
        assertEquals(32, CacheConfig.autoShards(1L << 30, 4096, 16));
        assertEquals(32, CacheConfig.autoShards(1L << 30, 4096, 12), "processors rounded up to a power of two");
        assertEquals(CacheConfig.MAX_AUTO_SHARDS, CacheConfig.autoShards(1L << 40, 4096, 128));
        // 1 MiB values need 2 MiB segments, 64 of them a shard: 128 MiB.
        assertEquals(1, CacheConfig.autoShards(64 * mib, 2 * mib, 16));
        assertEquals(2, CacheConfig.autoShards(256 * mib, 2 * mib, 16));
        assertEquals(32, CacheConfig.autoShards(4096 * mib, 2 * mib, 16));
        // Small records: the 4 MiB floor decides.
        assertEquals(2, CacheConfig.autoShards(8 * mib, 4096, 16));
        assertEquals(1, CacheConfig.autoShards(8 * mib - 1, 4096, 16));
    }

    @Test
    void shouldRefuseShardCountsOutOfRangeOrTooSmallShards()
    {
        assertThrows(IllegalArgumentException.class, () -> new CacheConfig().shards(-1).conclude());
        assertThrows(IllegalArgumentException.class, () -> new CacheConfig().shards(CacheConfig.MAX_SHARDS + 1).conclude());
        // 256 KiB in 8 shards of 32 KiB: under the smallest store.
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new CacheConfig().capacityBytes(256 << 10).shards(8).conclude());
        assertTrue(e.getMessage().startsWith("shards=8 leave each shard capacityBytes=32768: capacityBytes=32768 must be at least"),
            e.getMessage());
    }

    @Test
    void shouldSpreadKeysEvenlyAndFindEachInItsShard()
    {
        final int keys = 40_000;
        try (FerriteCache cache = FerriteCache.create(config()))
        {
            for (int i = 0; i < keys; i++)
            {
                assertTrue(cache.put(key(i), value(i)) > 0);
            }
            for (int i = 0; i < keys; i++)
            {
                assertArrayEquals(value(i), cache.get(key(i)), "key " + i);
            }
            assertEquals(keys, cache.size());
        }
        try (ShardedStore store = new ShardedStore(config()))
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
            for (int i = 0; i < keys; i++)
            {
                final byte[] key = key(i);
                buffer.putBytes(0, key);
                store.put(buffer, 0, key.length, buffer, 0, 8, 0, Store.PUT_ALWAYS, 0, null);
            }
            for (int s = 0; s < SHARDS; s++)
            {
                final long entries = store.shard(s).entryCount();
                // 5,000 expected; a binomial spread is about 66, so 10% off means routing is broken.
                assertTrue(Math.abs(entries - keys / SHARDS) < keys / SHARDS / 10, "shard " + s + " holds " + entries);
            }
            // Each key is where routing sends it, and in no other shard.
            for (int i = 0; i < 1_000; i++)
            {
                final byte[] key = key(i);
                buffer.putBytes(0, key);
                final long hash = store.shard(0).hash(buffer, 0, key.length);
                final int home = store.shardOf(hash);
                for (int s = 0; s < SHARDS; s++)
                {
                    assertEquals(s == home, store.shard(s).containsKey(buffer, 0, key.length), "key " + i + " shard " + s);
                }
            }
        }
    }

    @Test
    void shouldScanEveryShardOnceInOneRangeAndInPages()
    {
        final int keys = 5_000;
        try (FerriteCache cache = FerriteCache.create(config()))
        {
            for (int i = 0; i < keys; i++)
            {
                cache.put(key(i), value(i));
            }
            final Map<String, Integer> seen = new HashMap<>();
            cache.scan((k, ko, kl, v, vo, vl, version, expiresAt) ->
            {
                seen.merge(k.getStringWithoutLengthAscii(ko, kl), 1, Integer::sum);
                return true;
            });
            assertEquals(keys, seen.size());
            assertTrue(seen.values().stream().allMatch(n -> n == 1), "an entry visited twice");
            for (int i = 0; i < keys; i++)
            {
                assertTrue(seen.containsKey("key:" + i), "key " + i + " not visited");
            }

            final Set<String> paged = new HashSet<>();
            final long slots = cache.indexSlotCount();
            long from = 0;
            while (from < slots)
            {
                // Pages that straddle shard boundaries (the shards' slot counts are not multiples of 1000).
                from = cache.scan(from, from + 1_000, (k, ko, kl, v, vo, vl, version, expiresAt) ->
                    paged.add(k.getStringWithoutLengthAscii(ko, kl)) || true);
            }
            assertEquals(seen.keySet(), paged);
        }
    }

    /** What a node streams when a routing slot moves: exactly that slot's keys, from every shard. */
    @Test
    void shouldStreamOneRoutingSlotFromEveryShard()
    {
        final int keys = 50_000;
        try (FerriteCache cache = FerriteCache.create(config()))
        {
            final Map<Integer, Set<String>> bySlot = new HashMap<>();
            for (int i = 0; i < keys; i++)
            {
                final byte[] key = key(i);
                cache.put(key, value(i));
                bySlot.computeIfAbsent(dev.ferrite.engine.hash.RoutingSlot.slot(new UnsafeBuffer(key), 0, key.length),
                    s -> new HashSet<>()).add(new String(key, StandardCharsets.US_ASCII));
            }
            int streamed = 0;
            for (final int slot : new int[]{0, 1, 777, 8191, 16383})
            {
                final Set<String> seen = new HashSet<>();
                cache.scanSlot(slot, (k, ko, kl, v, vo, vl, version, expiresAt) -> seen.add(k.getStringWithoutLengthAscii(ko, kl)) || true);
                assertEquals(bySlot.getOrDefault(slot, Set.of()), seen, "routing slot " + slot);
                streamed += seen.size();
            }
            assertTrue(streamed > 0, "50,000 keys leave these five of 16,384 slots empty");
        }
    }

    /**
     * A shard's scan returns its range's end both when done and when the visitor stopped in its last
     * slot, so stopping must be seen by the visitor itself: stopped after k entries, the visitor is
     * called exactly k times, for every k (with few slots per shard and many keys, some k fall on
     * each shard's last slot).
     */
    @Test
    void shouldStopWhereTheVisitorSaysEvenAtAShardsLastSlot()
    {
        final CacheConfig config = new CacheConfig().capacityBytes(8 << 20).maxValueLength(1024)
            .shards(4).indexSlots(4 * 16).evictionEnabled(false);
        try (FerriteCache cache = FerriteCache.create(config))
        {
            final int keys = 300;
            for (int i = 0; i < keys; i++)
            {
                assertTrue(cache.put(key(i), value(i)) > 0);
            }
            final long slots = cache.indexSlotCount();
            assertEquals(64, slots);
            for (int stopAfter = 1; stopAfter <= keys; stopAfter++)
            {
                final int limit = stopAfter;
                final int[] calls = {0};
                final long resume = cache.scan(0, slots, (k, ko, kl, v, vo, vl, version, expiresAt) -> ++calls[0] < limit);
                assertEquals(stopAfter, calls[0], "visitor called after it returned false");
                assertTrue(resume >= 1 && resume <= slots, "resume " + resume);
            }
        }
    }

    @Test
    void shouldLetOnlyTheFirstShardSampleForOneSharedAdvice()
    {
        try (ShardedStore store = new ShardedStore(config()))
        {
            assertNotNull(store.shard(0).advisor);
            for (int s = 0; s < SHARDS; s++)
            {
                assertSame(store.shard(0).advisor, store.shard(s).keepAdvisor, "shard " + s);
                if (s > 0)
                {
                    assertNull(store.shard(s).advisor, "shard " + s + " samples");
                }
            }
        }
        try (ShardedStore store = new ShardedStore(config().evictionEnabled(false)))
        {
            for (int s = 0; s < SHARDS; s++)
            {
                assertNull(store.shard(s).keepAdvisor);
            }
        }
    }

    @Test
    void shouldEvictInEveryShardAndStayInBudget()
    {
        try (FerriteCache cache = FerriteCache.create(config()))
        {
            final int keys = 300_000; // about 3 times what 32 MiB holds at 100-byte values
            for (int i = 0; i < keys; i++)
            {
                assertTrue(cache.put(key(i), new byte[100]) > 0, "put " + i);
            }
            final CacheStats stats = cache.stats();
            assertEquals(keys, stats.puts());
            assertTrue(stats.evictions() > 0, stats.toString());
            assertEquals(keys, stats.entries() + stats.evictions(), stats.toString());
            assertTrue(stats.bytesInUse() <= stats.allocatedBytes(), stats.toString());
        }
        try (ShardedStore store = new ShardedStore(config()))
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
            for (int i = 0; i < 300_000; i++)
            {
                final byte[] key = key(i);
                buffer.putBytes(0, key);
                store.put(buffer, 0, key.length, buffer, 0, 100, 0, Store.PUT_ALWAYS, 0, null);
            }
            for (int s = 0; s < SHARDS; s++)
            {
                assertTrue(store.shard(s).stats().evictions() > 0, "shard " + s + " never evicted");
            }
        }
    }

    @Test
    void shouldAnswerBadInputAsOneStoreDoes()
    {
        try (FerriteCache cache = FerriteCache.create(config().maxKeyLength(16)))
        {
            final UnsafeBuffer tooLong = new UnsafeBuffer(new byte[17]);
            final UnsafeBuffer out = new UnsafeBuffer(new byte[8]);
            assertEquals(Status.KEY_TOO_LARGE, cache.get(tooLong, 0, 17, out, 0, null));
            assertEquals(Status.KEY_TOO_LARGE, cache.put(tooLong, 0, 17, out, 0, 8, 0));
            assertEquals(Status.MISS, cache.remove(tooLong, 0, 17));
            assertEquals(Status.MISS, cache.touch(tooLong, 0, 17, 0));
            assertEquals(false, cache.containsKey(tooLong, 0, 17));
            assertThrows(NullPointerException.class, () -> cache.get(null, 0, 1, out, 0, null));
            assertThrows(IndexOutOfBoundsException.class, () -> cache.put(out, 4, 8, out, 0, 8, 0));
            assertEquals(Status.VALUE_TOO_LARGE, cache.put(out, 0, 8, new UnsafeBuffer(new byte[16 * 1024 + 1]), 0, 16 * 1024 + 1, 0));
            assertEquals(Status.INVALID_TTL, cache.touch(out, 0, 8, -1));
        }
    }

    @Test
    void shouldCloseEveryShard()
    {
        final ShardedStore store = new ShardedStore(config());
        store.close();
        assertTrue(store.isClosed());
        for (int s = 0; s < SHARDS; s++)
        {
            assertTrue(store.shard(s).isClosed(), "shard " + s);
        }
        final UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
        for (int i = 0; i < 64; i++) // keys of every shard
        {
            key.putLong(0, i);
            assertThrows(IllegalStateException.class, () -> store.get(key, 0, 8, key, 0, null));
        }
        store.close(); // idempotent
    }

    private static byte[] key(final int i)
    {
        return ("key:" + i).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] value(final int i)
    {
        return ("value:" + i).getBytes(StandardCharsets.US_ASCII);
    }
}
