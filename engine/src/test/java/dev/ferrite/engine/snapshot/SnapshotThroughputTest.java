package dev.ferrite.engine.snapshot;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.FerriteCache;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An informal measurement, off by default: {@code mvn -pl engine test -Dtest=SnapshotThroughputTest
 * -Dferrite.snapshot.perf=true}. Writes and loads a million small entries and prints the times.
 */
@EnabledIfSystemProperty(named = "ferrite.snapshot.perf", matches = "true")
class SnapshotThroughputTest
{
    private static final int ENTRIES = 1_000_000;

    @TempDir
    Path directory;

    @Test
    void shouldWriteAndLoadAMillionSmallEntries() throws IOException
    {
        final CacheConfig config = new CacheConfig().capacityBytes(512L << 20).evictionEnabled(false);
        try (FerriteCache source = FerriteCache.create(config);
            FerriteCache target = FerriteCache.create(new CacheConfig().capacityBytes(512L << 20).evictionEnabled(false)))
        {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[32]);
            for (int i = 0; i < ENTRIES; i++)
            {
                key.putLong(0, i);
                key.putLong(8, ~i);
                value.putInt(0, i);
                source.put(key, 0, 16, value, 0, 32, 0);
            }
            final Path file = directory.resolve("million.snap");
            for (int round = 0; round < 3; round++)
            {
                final SnapshotWriteSummary written = Snapshots.write(source, file);
                final SnapshotLoadSummary loaded = Snapshots.load(target, file);
                System.out.printf("round %d: write %d entries, %.1f MB in %.3f s; load (validate + apply) in %.3f s " +
                    "(%d restored, %d kept)%n", round, written.entries(), written.fileBytes() / 1e6,
                    written.durationNs() / 1e9, loaded.durationNs() / 1e9, loaded.restored(), loaded.keptExisting());
                assertEquals(ENTRIES, written.entries());
                assertEquals(ENTRIES, loaded.restored() + loaded.keptExisting());
            }
            final long startNs = System.nanoTime();
            final SnapshotInfo info = Snapshots.verify(file);
            System.out.printf("verify only: %.3f s%n", (System.nanoTime() - startNs) / 1e9);
            assertEquals(ENTRIES, info.entryCount());
            assertEquals(ENTRIES, target.size());
        }
    }
}
