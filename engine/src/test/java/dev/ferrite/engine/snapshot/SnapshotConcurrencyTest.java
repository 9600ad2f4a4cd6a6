package dev.ferrite.engine.snapshot;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.FerriteCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static dev.ferrite.engine.snapshot.SnapshotFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

class SnapshotConcurrencyTest
{
    @TempDir
    Path directory;

    @Test
    void shouldSnapshotAStoreWhileAnotherThreadWritesIt() throws Exception
    {
        try (FerriteCache source = FerriteCache.create(new CacheConfig().capacityBytes(32 << 20).evictionEnabled(false)))
        {
            final Map<String, Expected> stable = fill(source, "stable-", 2_000, 64, 0);
            final AtomicBoolean stop = new AtomicBoolean();
            final AtomicReference<Throwable> writerFailure = new AtomicReference<>();
            final AtomicLong writes = new AtomicLong();
            final Thread writer = new Thread(() ->
            {
                try
                {
                    for (long n = 0; !stop.get(); n++)
                    {
                        final String key = "hot-" + (n % 5_000);
                        if (n % 4 == 3)
                        {
                            source.remove(bytes(key));
                        }
                        else
                        {
                            source.put(bytes(key), bytes(key + "=" + n + "x".repeat((int)(n % 200))));
                        }
                        writes.incrementAndGet();
                    }
                }
                catch (final Throwable t)
                {
                    writerFailure.set(t);
                }
            }, "snapshot-test-writer");
            writer.start();
            try
            {
                for (int round = 0; round < 5; round++)
                {
                    final long writesBefore = writes.get();
                    final Path file = directory.resolve("busy-" + round + ".snap");
                    final SnapshotWriteSummary written = Snapshots.write(source, file);
                    assertTrue(written.entries() >= stable.size(), written.toString());
                    while (writes.get() == writesBefore && writer.isAlive())
                    {
                        Thread.onSpinWait();
                    }

                    try (FerriteCache target = FerriteCache.create(new CacheConfig().capacityBytes(32 << 20)
                        .evictionEnabled(false)))
                    {
                        assertEquals(written.entries(), Snapshots.load(target, file).restored());
                        for (final Map.Entry<String, Expected> entry : stable.entrySet())
                        {
                            assertArrayEquals(entry.getValue().value(), target.get(bytes(entry.getKey())), entry.getKey());
                        }
                        target.scan((key, keyOffset, keyLength, value, valueOffset, valueLength, version, expiresAt) ->
                        {
                            final String k = key.getStringWithoutLengthAscii(keyOffset, keyLength);
                            if (k.startsWith("hot-"))
                            {
                                final String v = value.getStringWithoutLengthAscii(valueOffset, valueLength);
                                assertTrue(v.startsWith(k + "="), k + " -> " + v); // a value this key really had
                            }
                            return true;
                        });
                    }
                }
            }
            finally
            {
                stop.set(true);
                writer.join();
            }
            assertNull(writerFailure.get());
            assertTrue(writes.get() > 0);
        }
    }

    /**
     * A file truncated while it loads is an I/O failure, never a raw error: the JVM reports a mapped
     * page that vanished as an asynchronous InternalError, which used to escape the loader in most
     * such runs (found by review).
     */
    @Test
    void shouldAnswerAFileTruncatedWhileLoadingWithAnIOException() throws Exception
    {
        final Path file = directory.resolve("shrinking.snap");
        try (FerriteCache source = FerriteCache.create(new CacheConfig().capacityBytes(64 << 20).evictionEnabled(false)))
        {
            fill(source, "k-", 150_000, 100, 0);
            source.writeSnapshot(file);
        }
        final byte[] original = java.nio.file.Files.readAllBytes(file);
        int failedAsIo = 0;
        for (int round = 0; round < 4; round++)
        {
            java.nio.file.Files.write(file, original);
            try (FerriteCache target = FerriteCache.create(new CacheConfig().capacityBytes(64 << 20).evictionEnabled(false)))
            {
                final AtomicReference<Throwable> outcome = new AtomicReference<>();
                final Thread loader = new Thread(() ->
                {
                    try
                    {
                        target.loadSnapshot(file);
                    }
                    catch (final Throwable t)
                    {
                        outcome.set(t);
                    }
                }, "snapshot-loader");
                loader.start();
                Thread.sleep(5 + 10L * round);
                try (java.io.RandomAccessFile shrink = new java.io.RandomAccessFile(file.toFile(), "rw"))
                {
                    shrink.setLength(round % 2 == 0 ? 0 : original.length / 3);
                }
                loader.join();
                final Throwable thrown = outcome.get();
                if (thrown != null)
                {
                    assertTrue(thrown instanceof java.io.IOException, () -> "round " + thrown);
                    failedAsIo++;
                }
            }
        }
        assertTrue(failedAsIo > 0, "no load was cut short: the file was truncated too late every round");
    }
}
