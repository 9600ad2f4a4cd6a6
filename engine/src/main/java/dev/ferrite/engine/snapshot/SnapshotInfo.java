package dev.ferrite.engine.snapshot;

/**
 * What a validated snapshot file holds, from its header.
 *
 * @param fileBytes          length of the file.
 * @param createdAtMillis    when the writer started, by the source store's clock.
 * @param entryCount         entries in the file, expired ones included if they expired after writing.
 * @param largestKeyLength   longest key in the file.
 * @param largestValueLength longest value in the file.
 */
public record SnapshotInfo(
    int formatVersion,
    long fileBytes,
    long createdAtMillis,
    long entryCount,
    int blockCount,
    int largestKeyLength,
    int largestValueLength)
{
}
