package dev.ferrite.engine;

import dev.ferrite.engine.core.Store;
import dev.ferrite.engine.snapshot.SnapshotLimitException;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Edge cases of the public API found by a review of session 14's code (each of these failed then):
 * settings changed after conclude or after the build, versions at their limits, use after close,
 * and statuses the byte[] API let through.
 */
class ApiEdgeCasesTest
{
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private static CachedEpochClock clock()
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(NOW);
        return clock;
    }

    private static UnsafeBuffer buffer(final String s)
    {
        return new UnsafeBuffer(s.getBytes(UTF_8));
    }

    private static FerriteCache cache(final int shards)
    {
        return FerriteCache.create(new CacheConfig().capacityBytes(64L << 20).shards(shards)
            .maxValueLength(64 * 1024).clock(clock()));
    }

    // ---------------------------------------------------------------------------------------------
    // Settings after conclude and after the build.

    @Test
    void shouldRefuseAKeyLimitPastTheRecordFormatSetAfterConclude()
    {
        final CacheConfig config = new CacheConfig().capacityBytes(64L << 20).shards(1).conclude();
        config.maxKeyLength(200_000); // over the record's 17-bit key length: keys were stored cut short
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> FerriteCache.create(config));
        assertTrue(refused.getMessage().contains("maxKeyLength=200000"), refused.getMessage());
    }

    @Test
    void shouldRefuseAValueLimitThatOverflowsTheRecordLengthSetAfterConclude()
    {
        final CacheConfig config = new CacheConfig().capacityBytes(64L << 20).shards(1).evictionEnabled(false).conclude();
        config.maxValueLength(Integer.MAX_VALUE); // the record length overflowed an int, and the store broke for good
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> FerriteCache.create(config));
        assertTrue(refused.getMessage().contains("maxValueLength=" + Integer.MAX_VALUE), refused.getMessage());
    }

    @Test
    void shouldRefuseLayoutChangesAfterConclude()
    {
        final CacheConfig config = new CacheConfig().capacityBytes(4L << 20).shards(1).conclude();
        assertThrows(IllegalStateException.class, () -> config.segmentBytes(5000)); // was used unvalidated
        assertThrows(IllegalStateException.class, () -> config.capacityBytes(8L << 20));
        assertThrows(IllegalStateException.class, () -> config.indexSlots(config.indexSlots() * 2));
        assertThrows(IllegalStateException.class, () -> config.averageEntryBytes(config.averageEntryBytes() + 1));
        assertThrows(IllegalStateException.class, () -> config.reclaimAheadSegments(1));
        assertThrows(IllegalStateException.class, () -> config.shards(2));
        // The same values, and settings read when a store is built, may still be set.
        config.segmentBytes(config.segmentBytes()).capacityBytes(4L << 20).maxKeyLength(100).hashSeed(7).clock(clock());
        try (FerriteCache cache = FerriteCache.create(config))
        {
            assertTrue(cache.put(new byte[100], new byte[1]) > 0);
            assertThrows(IllegalArgumentException.class, () -> cache.put(new byte[101], new byte[1]));
        }
    }

    @ParameterizedTest(name = "shards={0}")
    @ValueSource(ints = {1, 4})
    void shouldFreezeTheConfigOfABuiltCache(final int shards) throws Exception
    {
        final Path file = dir.resolve("big.snap");
        try (FerriteCache source = FerriteCache.create(new CacheConfig().capacityBytes(64L << 20).shards(1).clock(clock())))
        {
            for (int i = 0; i < 100; i++)
            {
                source.put(("k" + i).getBytes(UTF_8), new byte[i == 50 ? 2000 : 10]); // one entry over the target's limit
            }
            source.writeSnapshot(file);
        }
        final CacheConfig config = new CacheConfig().capacityBytes(64L << 20).shards(shards)
            .maxKeyLength(16).maxValueLength(1000).clock(clock());
        try (FerriteCache target = FerriteCache.create(config))
        {
            // Raised on the live config, the limits let the loader's checks pass and the load then
            // failed half way, against the limits the stores had copied.
            assertThrows(IllegalStateException.class, () -> target.config().maxValueLength(4000));
            assertThrows(IllegalStateException.class, () -> config.maxKeyLength(32));
            assertThrows(IllegalStateException.class, () -> config.clock(clock()));
            assertEquals(1000, target.config().maxValueLength());
            assertThrows(SnapshotLimitException.class, () -> target.loadSnapshot(file));
            assertEquals(0, target.size(), "a refused snapshot loads nothing");
            assertThrows(IllegalArgumentException.class, () -> target.put(new byte[20], new byte[1]));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Versions.

    @ParameterizedTest(name = "version={0}")
    @ValueSource(longs = {0, -5})
    void shouldRefuseANonPositiveRestoreVersionOnTheGeneralPut(final long version) throws Exception
    {
        try (FerriteCache cache = cache(1))
        {
            assertThrows(IllegalArgumentException.class, () -> cache.restore(buffer("k"), 0, 1, buffer("v"), 0, 1, 0, version));
            // The general put takes the restore mode too: it stored versions 0 and -5, and a snapshot
            // of the store could then not be loaded.
            assertThrows(IllegalArgumentException.class,
                () -> cache.put(buffer("k"), 0, 1, buffer("v"), 0, 1, 0, Store.PUT_RESTORE, version, null));
            assertNull(cache.get("k".getBytes(UTF_8)));
            cache.put("other".getBytes(UTF_8), "v".getBytes(UTF_8));
            cache.writeSnapshot(dir.resolve("s.snap"));
            try (FerriteCache restarted = cache(1))
            {
                assertEquals(1, restarted.loadSnapshot(dir.resolve("s.snap")).restored());
            }
        }
    }

    /**
     * A restore of Long.MAX_VALUE made the next put's version wrap below it, and a stale restore won
     * (first review); capping every restore instead left the store making versions above the cap
     * that its own snapshot refused (second review). Now restore() refuses versions above
     * Store.MAX_RESTORE_VERSION, versions stop at Long.MAX_VALUE instead of wrapping, and snapshot
     * loads take any positive version.
     */
    @ParameterizedTest(name = "shards={0}")
    @ValueSource(ints = {1, 4})
    void shouldKeepVersionsOrderedAtTheTopOfTheRange(final int shards) throws Exception
    {
        try (FerriteCache cache = cache(shards); FerriteCache replica = cache(shards))
        {
            assertThrows(IllegalArgumentException.class,
                () -> cache.restore(buffer("k"), 0, 1, buffer("old"), 0, 3, 0, Store.MAX_RESTORE_VERSION + 1));
            assertEquals(Store.MAX_RESTORE_VERSION,
                cache.restore(buffer("k"), 0, 1, buffer("old"), 0, 3, 0, Store.MAX_RESTORE_VERSION));
            final long newer = cache.put("k".getBytes(UTF_8), "new".getBytes(UTF_8));
            assertEquals(Store.MAX_RESTORE_VERSION + 1, newer, "the store's own version, above restore()'s limit");
            assertEquals(Status.VERSION_MISMATCH,
                cache.restore(buffer("k"), 0, 1, buffer("stale"), 0, 5, 0, Store.MAX_RESTORE_VERSION));

            // The general put's restore mode goes to the top, and versions stop there.
            assertEquals(Long.MAX_VALUE, cache.put(buffer("top"), 0, 3, buffer("v"), 0, 1, 0, Store.PUT_RESTORE, Long.MAX_VALUE, null));
            assertEquals(Long.MAX_VALUE, cache.put("top".getBytes(UTF_8), "w".getBytes(UTF_8)), "never below the old version");
            assertEquals(Status.VERSION_MISMATCH,
                cache.put(buffer("top"), 0, 3, buffer("stale"), 0, 5, 0, Store.PUT_RESTORE, Long.MAX_VALUE - 1, null));

            cache.writeSnapshot(dir.resolve("top.snap"));
            assertEquals(2, replica.loadSnapshot(dir.resolve("top.snap")).restored(), "the store's own versions load back");
            final EntryMeta meta = new EntryMeta();
            assertArrayEquals("new".getBytes(UTF_8), replica.get("k".getBytes(UTF_8), meta));
            assertEquals(newer, meta.version());
            assertArrayEquals("w".getBytes(UTF_8), replica.get("top".getBytes(UTF_8), meta));
            assertEquals(Long.MAX_VALUE, meta.version());
        }
    }

    @Test
    void shouldDescribeEveryPositiveResultAsAVersion()
    {
        assertEquals("OK(4294967295)", Status.describe(0xFFFF_FFFFL)); // low 32 bits are MISS (-1)
        assertEquals("OK(0)", Status.describe(0));
        assertEquals("MISS", Status.describe(Status.MISS));
        assertEquals("FULL", Status.describe(Status.FULL));
    }

    @Test
    void shouldClearTheEntryMetaWhenAKeyIsTooLong()
    {
        try (FerriteCache cache = FerriteCache.create(new CacheConfig().capacityBytes(16L << 20).maxKeyLength(4)))
        {
            cache.put("k".getBytes(UTF_8), "v".getBytes(UTF_8));
            final EntryMeta meta = new EntryMeta();
            assertEquals(1, cache.get(buffer("k"), 0, 1, new UnsafeBuffer(new byte[8]), 0, meta));
            assertTrue(meta.version() > 0);
            assertEquals(Status.KEY_TOO_LARGE, cache.get(buffer("kkkkk"), 0, 5, new UnsafeBuffer(new byte[8]), 0, meta));
            assertEquals(0, meta.version(), "nothing was found: " + meta);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Use after close, and statuses the byte[] API must turn into exceptions.

    @ParameterizedTest(name = "shards={0}")
    @ValueSource(ints = {1, 4})
    void shouldThrowAfterCloseEvenForATooLongKey(final int shards) throws Exception
    {
        final FerriteCache cache = FerriteCache.create(new CacheConfig().capacityBytes(64L << 20).shards(shards)
            .maxKeyLength(16).maxValueLength(1024));
        final Path empty = dir.resolve("empty.snap");
        cache.writeSnapshot(empty);
        final FerriteMap<String, String> map = cache.asMap(Codecs.STRING, Codecs.STRING);
        cache.close();
        final UnsafeBuffer longKey = new UnsafeBuffer(new byte[17]);
        final UnsafeBuffer destination = new UnsafeBuffer(new byte[64]);
        final String longMapKey = "x".repeat(17);
        final List<String> answered = new ArrayList<>();
        try { answered.add("containsKey=" + cache.containsKey(longKey, 0, 17)); } catch (final IllegalStateException e) { }
        try { answered.add("get=" + Status.describe(cache.get(longKey, 0, 17, destination, 0, null))); } catch (final IllegalStateException e) { }
        try { answered.add("remove=" + Status.describe(cache.remove(longKey, 0, 17))); } catch (final IllegalStateException e) { }
        try { answered.add("touch=" + Status.describe(cache.touch(longKey, 0, 17, 0))); } catch (final IllegalStateException e) { }
        try { answered.add("put=" + Status.describe(cache.put(longKey, 0, 17, destination, 0, 1, 0))); } catch (final IllegalStateException e) { }
        try { answered.add("scan(0,0)=" + cache.scan(0, 0, (k, ko, kl, v, vo, vl, ver, exp) -> true)); } catch (final IllegalStateException e) { }
        try { answered.add("loadSnapshot(empty)=" + cache.loadSnapshot(empty).restored()); } catch (final IllegalStateException e) { }
        try { answered.add("map.get=" + map.get(longMapKey)); } catch (final IllegalStateException e) { }
        try { answered.add("map.containsKey=" + map.containsKey(longMapKey)); } catch (final IllegalStateException e) { }
        try { answered.add("map.remove=" + map.remove(longMapKey)); } catch (final IllegalStateException e) { }
        assertEquals(List.of(), answered, "calls after close() that answered instead of throwing IllegalStateException");
    }

    @Test
    void shouldThrowWhenAByteArrayTouchFindsNoRoom()
    {
        try (FerriteCache cache = FerriteCache.create(new CacheConfig().capacityBytes(1 << 20).shards(1).evictionEnabled(false)))
        {
            final byte[] value = new byte[1000];
            int stored = 0;
            while (true)
            {
                try
                {
                    cache.put(("key" + stored).getBytes(UTF_8), value);
                    stored++;
                }
                catch (final IllegalStateException full)
                {
                    break;
                }
            }
            assertTrue(stored > 100);
            // A touch needs a new record (the touched copy), and the store is full: FULL was returned
            // as if it were a version.
            assertThrows(IllegalStateException.class, () -> cache.touch("key0".getBytes(UTF_8), NOW + 60_000));
            assertNotNull(cache.get("key0".getBytes(UTF_8)), "a refused touch loses nothing");
            // A remove's tombstone may use the room kept for relocations, so that a full store can be emptied.
            assertTrue(cache.remove("key1".getBytes(UTF_8)) > 0);
            assertNull(cache.get("key1".getBytes(UTF_8)));
        }
    }

    @Test
    void shouldRefuseASnapshotFileWithoutADirectory()
    {
        try (FerriteCache cache = cache(1))
        {
            assertThrows(IllegalArgumentException.class, () -> cache.writeSnapshot(Path.of("/")));
        }
    }
}
