package dev.ferrite.engine.snapshot;

import java.nio.file.Path;

/**
 * The outcome of loading a snapshot.
 *
 * @param file            the snapshot read.
 * @param entriesInFile   entries the file holds.
 * @param restored        entries written into the store.
 * @param skippedExpired  entries already expired by the store's clock at load time.
 * @param keptExisting    entries skipped because the store already held that version or a newer one.
 * @param fileBytes       length of the file.
 * @param durationNs      wall time of validation and loading together.
 */
public record SnapshotLoadSummary(
    Path file, long entriesInFile, long restored, long skippedExpired, long keptExisting, long fileBytes, long durationNs)
{
}
