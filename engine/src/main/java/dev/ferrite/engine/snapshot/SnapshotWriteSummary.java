package dev.ferrite.engine.snapshot;

import java.nio.file.Path;

/**
 * The outcome of writing a snapshot.
 *
 * @param file       where the snapshot now is.
 * @param entries    entries written.
 * @param blocks     checksummed blocks written.
 * @param fileBytes  length of the file.
 * @param durationNs wall time of the whole write, fsync and rename included.
 */
public record SnapshotWriteSummary(Path file, long entries, int blocks, long fileBytes, long durationNs)
{
}
