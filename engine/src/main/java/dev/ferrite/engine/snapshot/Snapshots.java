package dev.ferrite.engine.snapshot;

import dev.ferrite.engine.FerriteCache;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Snapshots of a store in one call each, with default settings: write a store to a file, load a
 * file into a store, or check a file. See {@link SnapshotWriter} and {@link SnapshotLoader} for the
 * guarantees and {@link SnapshotDescriptor} for the format.
 *
 * <pre>{@code
 * Snapshots.write(cache, Path.of("/var/lib/ferrite/node-1.snap"));   // on shutdown
 * Snapshots.load(cache, Path.of("/var/lib/ferrite/node-1.snap"));    // on restart
 * }</pre>
 *
 * Chronicle Bytes, which maps the files, wants the JVM flags of {@code ferrite.jvm.flags} in the
 * parent pom: the module exports and opens, {@code -Dchronicle.analytics.disable=true} and
 * {@code -Dchronicle.disk.monitor.disable=true} (no analytics, no disk-monitor thread),
 * {@code -Dbackground.releaser=false} (no {@code background~resource~releaser} thread; without it
 * the snapshot code still waits for that thread, so no file stays mapped) and
 * {@code --enable-native-access=ALL-UNNAMED} (quiet on JDK 22+).
 */
public final class Snapshots
{
    private static final SnapshotWriter WRITER = new SnapshotWriter();
    private static final SnapshotLoader LOADER = new SnapshotLoader();

    private Snapshots()
    {
    }

    /** Writes every live entry of {@code cache} to {@code file}, replacing it atomically. */
    public static SnapshotWriteSummary write(final FerriteCache cache, final Path file) throws IOException
    {
        return WRITER.write(cache, file);
    }

    /** Validates {@code file} in full, then restores its entries into {@code cache}; a bad file loads nothing. */
    public static SnapshotLoadSummary load(final FerriteCache cache, final Path file) throws IOException
    {
        return LOADER.load(cache, file);
    }

    /** Checks {@code file} in full without loading it. */
    public static SnapshotInfo verify(final Path file) throws IOException
    {
        return LOADER.verify(file);
    }
}
