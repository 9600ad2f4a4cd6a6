package dev.ferrite.engine.snapshot;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.FerriteCache;
import dev.ferrite.engine.log.RecordDescriptor;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static dev.ferrite.engine.snapshot.SnapshotFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/** A file from a store with bigger limits than the target is refused whole, or loads whole when its entries fit. */
class SnapshotLimitsTest
{
    @TempDir
    Path directory;

    private final CachedEpochClock clock = clockAt(START_MILLIS);

    private FerriteCache bigLimitStore()
    {
        return FerriteCache.create(new CacheConfig().capacityBytes(64 << 20).clock(clock).evictionEnabled(false)
            .maxKeyLength(RecordDescriptor.MAX_KEY_LENGTH).maxValueLength(2 << 20).segmentBytes(4 << 20));
    }

    @Test
    void shouldRefuseKeysAndValuesOverTheTargetLimitsAndLoadNothing() throws IOException
    {
        final Path file = directory.resolve("big.snap");
        try (FerriteCache source = bigLimitStore())
        {
            fill(source, "small-", 50, 100, 0);
            source.put(new byte[100 << 10], bytes("long key"));
            source.put(bytes("large value"), new byte[(3 << 20) / 2]);
            Snapshots.write(source, file);
        }
        try (FerriteCache target = cache(clock, 64 << 20))
        {
            final SnapshotLimitException refused =
                assertThrows(SnapshotLimitException.class, () -> Snapshots.load(target, file));
            assertEquals(2, refused.oversizedEntries());
            assertTrue(refused.getMessage().contains("holds 2 entries the target store cannot accept; nothing was loaded"),
                refused.getMessage());
            assertTrue(refused.getMessage().matches(".*(keyLength=102400 exceeds maxKeyLength=65536|" +
                "valueLength=1572864 exceeds maxValueLength=1048576).*"), refused.getMessage());
            assertEquals(0, target.size());
        }
        assertEquals(52, Snapshots.verify(file).entryCount(), "the file itself is intact");
    }

    @Test
    void shouldRefuseRecordsLargerThanTheTargetSegments() throws IOException
    {
        final Path file = directory.resolve("segment.snap");
        final int valueLength = 300 << 10;
        try (FerriteCache source = bigLimitStore())
        {
            fill(source, "small-", 10, 100, 0);
            source.put(bytes("wide"), new byte[valueLength]);
            Snapshots.write(source, file);
        }
        try (FerriteCache target = cache(clock, 1 << 20))
        {
            final int segmentBytes = target.config().segmentBytes();
            assertTrue(RecordDescriptor.recordLength(4, valueLength) >= segmentBytes, "premise: " + target.config());
            assertTrue(valueLength <= target.config().maxValueLength(), "premise: within maxValueLength");
            final SnapshotLimitException refused =
                assertThrows(SnapshotLimitException.class, () -> Snapshots.load(target, file));
            assertTrue(refused.getMessage().contains("does not fit a segment of segmentBytes=" + segmentBytes),
                refused.getMessage());
            assertEquals(0, target.size());
        }
    }

    @Test
    void shouldLoadAFileFromABigLimitStoreWhenEveryEntryFits() throws IOException
    {
        final Path file = directory.resolve("fits.snap");
        final Map<String, Expected> expected;
        try (FerriteCache source = bigLimitStore())
        {
            expected = fill(source, "k-", 200, 1000, 0);
            Snapshots.write(source, file);
        }
        try (FerriteCache target = cache(clock, 8 << 20))
        {
            assertEquals(200, Snapshots.load(target, file).restored());
            assertHolds(target, expected);
        }
    }

    @Test
    void shouldReportAFullTargetWithEvictionOffAndHowFarItGot() throws IOException
    {
        final Path file = directory.resolve("full.snap");
        try (FerriteCache source = cache(clock, 16 << 20))
        {
            fill(source, "k-", 4000, 1000, 0);
            Snapshots.write(source, file);
        }
        try (FerriteCache target = cache(clock, 1 << 20))
        {
            final IllegalStateException full =
                assertThrows(IllegalStateException.class, () -> Snapshots.load(target, file));
            assertTrue(full.getMessage().contains("the store is full and eviction is off) after " + target.size() +
                " entries were restored"), full.getMessage());
        }
    }
}
