package dev.ferrite.engine.snapshot;

import dev.ferrite.engine.EntryMeta;
import dev.ferrite.engine.FerriteCache;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.ferrite.engine.snapshot.SnapshotDescriptor.*;
import static dev.ferrite.engine.snapshot.SnapshotFixtures.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SnapshotRoundTripTest
{
    @TempDir
    Path directory;

    /** Default blocks and chunks, and tiny ones so a file spans many chunks and a 1 MiB value straddles them. */
    @ParameterizedTest(name = "blockTargetBytes={0} chunkBytes={1}")
    @CsvSource({"1048576, 67108864", "4096, 65536"})
    void shouldRestoreValuesVersionsAndExpiryOfManyEntries(final int blockTargetBytes, final long chunkBytes)
        throws IOException
    {
        final CachedEpochClock clock = clockAt(START_MILLIS);
        try (FerriteCache source = cacheForLargestValues(clock, 64 << 20);
            FerriteCache target = cacheForLargestValues(clock, 64 << 20))
        {
            final Map<String, Expected> expected = new LinkedHashMap<>();
            final Random random = new Random(7);
            for (int i = 0; i < 20_000; i++)
            {
                final int valueLength = i % 7 == 0 ? 0 : i % 101 == 0 ? random.nextInt(8192) : random.nextInt(300);
                final long expiresAt = i % 3 == 0 ? START_MILLIS + 3_600_000 + i : 0;
                put(source, expected, "key-" + i, randomBytes(random, valueLength), expiresAt);
            }
            put(source, expected, "one-mebibyte", randomBytes(random, 1 << 20), 0);
            put(source, expected, "k".repeat(source.config().maxKeyLength()), randomBytes(random, 10), 0);
            put(source, expected, "", randomBytes(random, 5), 0);

            final Path file = directory.resolve("store.snap");
            final SnapshotWriteSummary written = new SnapshotWriter(blockTargetBytes, chunkBytes).write(source, file);
            assertEquals(expected.size(), written.entries());
            assertEquals(Files.size(file), written.fileBytes());
            if (chunkBytes < 1 << 20)
            {
                assertTrue(written.fileBytes() > 16 * chunkBytes, "the file spans many chunks: " + written);
            }

            final SnapshotLoadSummary loaded = new SnapshotLoader(chunkBytes).load(target, file);
            assertEquals(expected.size(), loaded.entriesInFile());
            assertEquals(expected.size(), loaded.restored());
            assertEquals(0, loaded.skippedExpired() + loaded.keptExisting());
            assertHolds(target, expected);

            final SnapshotInfo info = Snapshots.verify(file);
            assertEquals(expected.size(), info.entryCount());
            assertEquals(written.blocks(), info.blockCount());
            assertEquals(START_MILLIS, info.createdAtMillis());
            assertEquals(1 << 20, info.largestValueLength());
            assertEquals(source.config().maxKeyLength(), info.largestKeyLength());
        }
    }

    @Test
    void shouldWriteAndLoadAnEmptyStore() throws IOException
    {
        final CachedEpochClock clock = clockAt(START_MILLIS);
        try (FerriteCache source = cache(clock, 4 << 20); FerriteCache target = cache(clock, 4 << 20))
        {
            final Path file = directory.resolve("empty.snap");
            final SnapshotWriteSummary written = Snapshots.write(source, file);
            assertEquals(0, written.entries());
            assertEquals(0, written.blocks());
            assertEquals(HEADER_LENGTH + TRAILER_LENGTH, Files.size(file));

            final SnapshotLoadSummary loaded = Snapshots.load(target, file);
            assertEquals(0, loaded.entriesInFile());
            assertEquals(0, loaded.restored());
            assertEquals(0, target.size());
        }
    }

    @Test
    void shouldSkipEntriesExpiredAtLoadTime() throws IOException
    {
        final CachedEpochClock sourceClock = clockAt(START_MILLIS);
        final CachedEpochClock targetClock = clockAt(START_MILLIS + 5_000);
        try (FerriteCache source = cache(sourceClock, 8 << 20); FerriteCache target = cache(targetClock, 8 << 20))
        {
            fill(source, "soon-", 100, 20, START_MILLIS + 1_000);
            final Map<String, Expected> expected = new LinkedHashMap<>();
            expected.putAll(fill(source, "later-", 100, 20, START_MILLIS + 100_000));
            expected.putAll(fill(source, "never-", 100, 20, 0));
            final Path file = directory.resolve("ttl.snap");
            assertEquals(300, Snapshots.write(source, file).entries());

            final SnapshotLoadSummary loaded = Snapshots.load(target, file);
            assertEquals(300, loaded.entriesInFile());
            assertEquals(200, loaded.restored());
            assertEquals(100, loaded.skippedExpired());
            assertHolds(target, expected);
            assertNull(target.get(bytes("soon-0")));
        }
    }

    @Test
    void shouldLeaveOutEntriesExpiredAtWriteTime() throws IOException
    {
        final CachedEpochClock clock = clockAt(START_MILLIS);
        try (FerriteCache source = cache(clock, 8 << 20))
        {
            fill(source, "short-", 50, 10, START_MILLIS + 10);
            fill(source, "long-", 70, 10, START_MILLIS + 10_000);
            clock.update(START_MILLIS + 20);
            final Path file = directory.resolve("expired.snap");
            assertEquals(70, Snapshots.write(source, file).entries());
            assertEquals(70, Snapshots.verify(file).entryCount());
        }
    }

    @Test
    void shouldKeepNewerVersionsAlreadyInTheTarget() throws IOException
    {
        final CachedEpochClock sourceClock = clockAt(START_MILLIS);
        final CachedEpochClock targetClock = clockAt(START_MILLIS + 60_000);
        try (FerriteCache source = cache(sourceClock, 8 << 20); FerriteCache target = cache(targetClock, 8 << 20))
        {
            final Map<String, Expected> fromSource = fill(source, "k-", 10, 8, 0);
            final Map<String, Expected> expected = new LinkedHashMap<>(fromSource);
            // Written in the target after the source: newer versions, which a load must keep.
            expected.putAll(fill(target, "k-", 3, 16, 0));
            final Path file = directory.resolve("versions.snap");
            Snapshots.write(source, file);

            final SnapshotLoadSummary loaded = Snapshots.load(target, file);
            assertEquals(7, loaded.restored());
            assertEquals(3, loaded.keptExisting());
            assertHolds(target, expected);
        }
    }

    @Test
    void shouldReplaceAnExistingSnapshotAndLeaveNoTemporaryFile() throws IOException
    {
        final CachedEpochClock clock = clockAt(START_MILLIS);
        try (FerriteCache source = cache(clock, 8 << 20); FerriteCache target = cache(clock, 8 << 20))
        {
            final Path file = directory.resolve("node.snap");
            fill(source, "first-", 10, 8, 0);
            Snapshots.write(source, file);
            source.remove(bytes("first-0"));
            final Map<String, Expected> expected = fill(source, "second-", 20, 8, 0);
            expected.putAll(expectedWithout(source, "first-", 10, 0));
            Snapshots.write(source, file);

            assertEquals(List.of("node.snap"), listDirectory());
            assertEquals(29, Snapshots.load(target, file).restored());
            assertHolds(target, expected);
        }
    }

    @Test
    void shouldLeaveTheExistingSnapshotUntouchedWhenAWriteFails() throws IOException
    {
        final CachedEpochClock clock = clockAt(START_MILLIS);
        final Path file = directory.resolve("node.snap");
        final FerriteCache source = cache(clock, 8 << 20);
        fill(source, "k-", 10, 8, 0);
        Snapshots.write(source, file);
        final byte[] before = Files.readAllBytes(file);
        source.close();

        assertThrows(IllegalStateException.class, () -> Snapshots.write(source, file));
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of("node.snap"), listDirectory());
    }

    @Test
    void shouldSpellTheMagicsInAscii() throws IOException
    {
        try (FerriteCache source = cache(clockAt(START_MILLIS), 4 << 20))
        {
            fill(source, "k-", 3, 8, 0);
            final Path file = directory.resolve("magic.snap");
            Snapshots.write(source, file);
            final byte[] content = Files.readAllBytes(file);
            assertEquals("FERRSNAP", new String(content, 0, 8, StandardCharsets.US_ASCII));
            assertEquals("BLK1", new String(content, HEADER_LENGTH, 4, StandardCharsets.US_ASCII));
            assertEquals("FERR_END", new String(content, content.length - TRAILER_LENGTH, 8, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void shouldLeaveNoMappingFileHandleOrChronicleThreadBehind() throws IOException
    {
        assumeTrue(isLinux(), "reads /proc/self");
        final CachedEpochClock clock = clockAt(START_MILLIS);
        try (FerriteCache source = cache(clock, 16 << 20); FerriteCache target = cache(clock, 16 << 20))
        {
            fill(source, "k-", 2_000, 1_000, 0);
            final Path file = directory.resolve("resources.snap");
            new SnapshotWriter(4096, 65536).write(source, file);
            assertEquals(List.of(), mappingsAndHandlesOf(file));
            new SnapshotLoader(65536).load(target, file);
            assertEquals(List.of(), mappingsAndHandlesOf(file));
            assertEquals(List.of(), mappingsAndHandlesOf(directory), "no temporary file left open or mapped");

            final List<String> chronicleThreads = Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName).filter(name -> name.contains("~")).collect(Collectors.toList());
            assertEquals(List.of(), chronicleThreads, "Chronicle names its threads like background~resource~releaser");
        }
    }

    private List<String> listDirectory() throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.map(path -> path.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static Map<String, Expected> expectedWithout(
        final FerriteCache cache, final String prefix, final int count, final int removed)
    {
        final Map<String, Expected> expected = new LinkedHashMap<>();
        final EntryMeta meta = new EntryMeta();
        for (int i = 0; i < count; i++)
        {
            if (i != removed)
            {
                final byte[] value = cache.get(bytes(prefix + i), meta);
                expected.put(prefix + i, new Expected(value, meta.version(), meta.expiresAtMillis()));
            }
        }
        return expected;
    }

    private static void put(
        final FerriteCache cache, final Map<String, Expected> expected, final String key, final byte[] value,
        final long expiresAt)
    {
        expected.put(key, new Expected(value, cache.put(bytes(key), value, expiresAt), expiresAt));
    }

    private static byte[] randomBytes(final Random random, final int length)
    {
        final byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** A remove newer than the snapshot wins over it, as a newer write does: the load does not bring the key back. */
    @Test
    void shouldNotBringBackAKeyRemovedAfterTheSnapshot() throws IOException
    {
        final CachedEpochClock clock = clockAt(START_MILLIS);
        try (FerriteCache cache = cache(clock, 16 << 20))
        {
            cache.put(bytes("kept"), bytes("1"));
            cache.put(bytes("removed"), bytes("2"));
            final Path file = directory.resolve("before-remove.snap");
            cache.writeSnapshot(file);
            assertTrue(cache.remove(bytes("removed")) > 0);

            final SnapshotLoadSummary loaded = cache.loadSnapshot(file);
            assertNull(cache.get(bytes("removed")), "the load resurrected a key removed after the snapshot");
            assertArrayEquals(bytes("1"), cache.get(bytes("kept")));
            assertEquals(0, loaded.restored(), loaded.toString());
            assertEquals(2, loaded.keptExisting(), loaded.toString());
        }
    }

    /**
     * A load over an expired version newer than the loaded one keeps it: writing the older version
     * there made the next put reuse a version already given out (the source's clock ahead of this
     * store's, so its versions outrun this clock's).
     */
    @Test
    void shouldNeverGiveOutAVersionTwiceAfterALoadOverAnExpiredNewerVersion() throws IOException
    {
        final CachedEpochClock clock = clockAt(START_MILLIS);
        final Path file = directory.resolve("ahead.snap");
        try (FerriteCache source = cache(clockAt(START_MILLIS + 60_000), 16 << 20))
        {
            source.put(bytes("k"), bytes("old"));
            source.writeSnapshot(file);
        }
        try (FerriteCache cache = cache(clock, 16 << 20))
        {
            cache.loadSnapshot(file);
            final long issued = cache.put(bytes("k"), bytes("x"), clock.time() + 10);
            clock.update(clock.time() + 20); // that version expires
            final SnapshotLoadSummary again = cache.loadSnapshot(file);
            assertEquals(1, again.keptExisting(), "the expired version is newer than the snapshot's: " + again);
            assertNull(cache.get(bytes("k")), "the expired newer write hides the older snapshot value");
            final long next = cache.put(bytes("k"), bytes("y"));
            assertTrue(next > issued, "version " + next + " after " + issued + " was already given out");
        }
    }
}
