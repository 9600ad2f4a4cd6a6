package dev.ferrite.engine.core;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.FerriteCache;
import dev.ferrite.engine.FerriteMap;
import dev.ferrite.engine.Codecs;
import dev.ferrite.engine.snapshot.SnapshotLoadSummary;
import dev.ferrite.engine.snapshot.SnapshotWriteSummary;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A sharded cache's lifecycle, settings and whole-cache views, from the review of the shards change:
 * the first five tests failed on the first version (a JVM crash on close, settings changed after
 * conclude that multiplied the budget, broke the build or were ignored, and a reclaim-ahead setting
 * that became per shard); the others checked scans, snapshots and the map view across shards.
 */
class ShardedCacheLifecycleTest
{
    @TempDir
    Path directory;

    private static byte[] key(final int i)
    {
        return ("key:" + i).getBytes(StandardCharsets.US_ASCII);
    }


    /** close() must not free shard 0 (the shared advisor's sample buffers and sketch) while later shards still reclaim. */
    @Test
    void closeMustNotFreeTheSharedAdvisorWhileLaterShardsStillWrite() throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        // The module flags this JVM got from the build (Agrona's, and JDK 24+'s), so the child runs as the tests do.
        for (final String argument : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (argument.startsWith("--"))
            {
                command.add(argument);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ShardCloseDuringWrites.class.getName());
        command.add("20");
        final Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), "child JVM died:\n" + output);
    }

    /** shards(n) set after conclude() fixed the layout: refused (it built n stores of the whole budget each). */
    @Test
    void shardsSetAfterConcludeMustBeRefused()
    {
        final CacheConfig one = new CacheConfig().capacityBytes(32 << 20).maxValueLength(1024).shards(1).conclude();
        assertThrows(IllegalStateException.class, () -> one.shards(4));
        final CacheConfig four = new CacheConfig().capacityBytes(32 << 20).maxValueLength(1024).shards(4).conclude();
        assertThrows(IllegalStateException.class, () -> four.shards(1)); // concluded, then the store could not be built
        four.shards(4); // the same count is no change
        assertDoesNotThrow(() -> FerriteCache.create(four).close());
    }

    /** evictionEnabled(false) after conclude() reaches one store when built, so it must reach shards too (it was ignored). */
    @Test
    void evictionSetAfterConcludeMustReachTheShards()
    {
        final CacheConfig config = new CacheConfig().capacityBytes(32 << 20).maxValueLength(1024).shards(4).conclude();
        config.evictionEnabled(false);
        try (FerriteCache cache = FerriteCache.create(config))
        {
            assertFalse(cache.config().evictionEnabled());
            int i = 0;
            try
            {
                for (; i < 1_000_000; i++)
                {
                    cache.put(key(i), new byte[100]);
                }
            }
            catch (final IllegalStateException full)
            {
                // what one store does: "cache is full: eviction is off ..."
            }
            assertEquals(0, cache.stats().evictions(), "evicted with evictionEnabled=false after " + i + " puts");
        }
    }

    /** reclaimAheadSegments is the cache's total, shared out to the shards: a config one store accepts concludes on any processor count. */
    @Test
    void reclaimAheadThatOneStoreAcceptsMustStillConclude()
    {
        // Before the change: one store, 943 segments of 1 MiB, reclaimAheadSegments up to 235.
        final CacheConfig config = new CacheConfig().capacityBytes(1L << 30).segmentBytes(1 << 20).reclaimAheadSegments(100);
        assertDoesNotThrow(() -> config.conclude());
        // And what it asks for: about 100 open segments in all, not 100 per shard.
        assertTrue((long)config.shardConfig().reclaimAheadSegments() * config.shards() < 100 + config.shards(), config.toString());
    }


    /** The resume position is exactly the slot after the one where the visitor stopped, across shard boundaries. */
    @Test
    void scanResumesExactlyAfterTheStoppingSlot()
    {
        final CacheConfig config = new CacheConfig().capacityBytes(8 << 20).maxValueLength(1024)
            .shards(4).indexSlots(4 * 16).evictionEnabled(false);
        try (FerriteCache cache = FerriteCache.create(config))
        {
            for (int i = 0; i < 300; i++)
            {
                cache.put(key(i), key(i));
            }
            final long slots = cache.indexSlotCount();
            final List<Long> slotOfEntry = new ArrayList<>();
            for (long s = 0; s < slots; s++)
            {
                final long slot = s;
                assertEquals(s + 1, cache.scan(s, s + 1, (k, ko, kl, v, vo, vl, ver, exp) -> slotOfEntry.add(slot)));
            }
            assertEquals(300, slotOfEntry.size());
            for (int stopAfter = 1; stopAfter <= 300; stopAfter++)
            {
                final int limit = stopAfter;
                final int[] calls = {0};
                final long resume = cache.scan(0, slots, (k, ko, kl, v, vo, vl, ver, exp) -> ++calls[0] < limit);
                assertEquals(slotOfEntry.get(stopAfter - 1) + 1, resume, "stop after " + stopAfter);
            }
            // from inside a shard to inside another, and past the end
            assertEquals(slots, cache.scan(5, slots + 100, (k, ko, kl, v, vo, vl, ver, exp) -> true));
            assertEquals(slots, cache.scan(slots, slots, (k, ko, kl, v, vo, vl, ver, exp) -> true));
            assertThrows(IllegalArgumentException.class, () -> cache.scan(slots + 1, slots + 2, (k, ko, kl, v, vo, vl, ver, exp) -> true));
        }
    }

    @Test
    void snapshotOfAShardedCacheRoundTripsIntoOtherShardCounts() throws Exception
    {
        final int keys = 30_000;
        final Path file = directory.resolve("s.snap");
        try (FerriteCache source = FerriteCache.create(new CacheConfig().capacityBytes(64 << 20).maxValueLength(1024).shards(8)))
        {
            for (int i = 0; i < keys; i++)
            {
                source.put(key(i), ("v" + i).getBytes(StandardCharsets.US_ASCII));
            }
            final SnapshotWriteSummary written = source.writeSnapshot(file);
            assertEquals(keys, written.entries());
        }
        for (final int shards : new int[]{1, 3, 8, 16})
        {
            try (FerriteCache target = FerriteCache.create(new CacheConfig().capacityBytes(64 << 20).maxValueLength(1024).shards(shards)))
            {
                final SnapshotLoadSummary loaded = target.loadSnapshot(file);
                assertEquals(keys, loaded.restored(), "shards=" + shards);
                assertEquals(keys, target.size());
                for (int i = 0; i < keys; i += 97)
                {
                    assertArrayEquals(("v" + i).getBytes(StandardCharsets.US_ASCII), target.get(key(i)));
                }
            }
        }
    }

    @Test
    void mapViewOfAShardedCacheIteratesEveryEntryOnce()
    {
        try (FerriteCache cache = FerriteCache.create(new CacheConfig().capacityBytes(32 << 20).maxValueLength(1024).shards(5)))
        {
            final FerriteMap<String, String> map = cache.asMap(Codecs.STRING, Codecs.STRING);
            for (int i = 0; i < 20_000; i++)
            {
                map.put("k" + i, "v" + i);
            }
            assertEquals(20_000, map.size());
            final Set<String> seen = new HashSet<>();
            for (final Map.Entry<String, String> e : map.entrySet())
            {
                assertTrue(seen.add(e.getKey()), "twice: " + e.getKey());
                assertEquals("v" + e.getKey().substring(1), e.getValue());
            }
            assertEquals(20_000, seen.size());
            map.keySet().removeIf(k -> k.hashCode() % 2 == 0);
            final Map<String, String> copy = new HashMap<>(map);
            assertEquals(copy.size(), map.size());
        }
    }
}
