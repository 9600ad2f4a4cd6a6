package dev.ferrite.engine.snapshot;

import dev.ferrite.engine.FerriteCache;
import dev.ferrite.engine.core.Store;
import dev.ferrite.engine.Status;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochClock;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Loads a snapshot file into a store in two passes over a read-only mapping.
 *
 * <ol>
 *   <li><b>Validate</b> ({@link SnapshotValidator}): the whole file is checked (magic, version,
 *   every checksum, every length against the file and the target's maxKeyLength, maxValueLength
 *   and segment size, every count against the trailer) and nothing is applied. A truncated,
 *   corrupt, foreign or unsupported file is refused with {@link SnapshotCorruptException}, an
 *   intact one with entries the target cannot hold with {@link SnapshotLimitException}; either
 *   way the store is untouched.</li>
 *   <li><b>Apply</b>: the blocks are read again, each checksum and entry checked again, and each
 *   entry written with the general {@code FerriteCache.put} in mode {@code Store.PUT_RESTORE}
 *   (as {@link FerriteCache#restore} does, but taking any version the store made), keeping its
 *   version and expiry. Entries
 *   already expired by the store's clock are skipped; where the store already holds the key at
 *   that version or a newer one, the store's entry is kept.</li>
 * </ol>
 *
 * Only a change to the file between the passes (another process writing into it: Ferrite's writer
 * replaces files by rename, which does not touch a mapped one), or a store that fills up with
 * eviction off, stops the apply pass part way; both are reported with the number of entries
 * already applied.
 *
 * <p>Blocking: runs in the calling thread and starts none; the store may serve other threads
 * meanwhile. The mapping is released and the file closed before {@link #load} returns. Instances
 * hold only settings and may be shared.
 */
public final class SnapshotLoader
{
    /** How often a write that finds no reclaimable segment is retried before the load gives up. */
    private static final int FULL_RETRIES = 1000;

    private final long chunkBytes;

    public SnapshotLoader()
    {
        this(SnapshotWriter.DEFAULT_CHUNK_BYTES);
    }

    /**
     * @param chunkBytes bytes Chronicle maps at a time; a power of two.
     */
    public SnapshotLoader(final long chunkBytes)
    {
        MappedFiles.checkChunkBytes(chunkBytes);
        this.chunkBytes = chunkBytes;
    }

    /**
     * Validates {@code file} in full, then restores its entries into {@code cache}.
     *
     * @throws SnapshotCorruptException when the file is truncated, corrupt, foreign or of an unsupported version; nothing loaded.
     * @throws SnapshotLimitException   when it holds entries over the cache's limits; nothing loaded.
     * @throws IOException              when the file cannot be read, or changed while being read.
     * @throws IllegalStateException    when the cache is closed, or full with eviction off.
     */
    public SnapshotLoadSummary load(final FerriteCache cache, final Path file) throws IOException
    {
        Objects.requireNonNull(cache, "cache");
        if (cache.isClosed())
        {
            throw new IllegalStateException("cache is closed"); // before reading: an empty file loaded "fine" (review)
        }
        try
        {
            return loadMapped(cache, file);
        }
        catch (final InternalError e)
        {
            throw vanishedPage(file, e);
        }
    }

    private SnapshotLoadSummary loadMapped(final FerriteCache cache, final Path file) throws IOException
    {
        final long startNs = System.nanoTime();
        try (SnapshotInput input = SnapshotInput.open(file, chunkBytes))
        {
            final SnapshotHeader header = SnapshotValidator.validate(input, EntryLimits.of(cache.config()));
            final Applier applier = new Applier(cache);
            final BlockReader blocks = new BlockReader(input, header);
            try
            {
                while (blocks.hasNext())
                {
                    blocks.next();
                    blocks.loadPayload();
                    blocks.forEachEntry(applier);
                }
            }
            catch (final SnapshotCorruptException e)
            {
                throw new IOException("snapshot " + file + " changed while loading, after " + applier.restored +
                    " entries were restored: " + e.getMessage(), e);
            }
            return new SnapshotLoadSummary(file, header.entryCount(), applier.restored, applier.skippedExpired,
                applier.keptExisting, header.fileLength(), System.nanoTime() - startNs);
        }
    }

    /**
     * Checks {@code file} in full, as a load does before applying anything, without a target.
     *
     * @throws SnapshotCorruptException when the file is truncated, corrupt, foreign or of an unsupported version.
     */
    public SnapshotInfo verify(final Path file) throws IOException
    {
        try (SnapshotInput input = SnapshotInput.open(file, chunkBytes))
        {
            final SnapshotHeader header = SnapshotValidator.validate(input, EntryLimits.FORMAT_MAXIMUM);
            return new SnapshotInfo(SnapshotDescriptor.FORMAT_VERSION, header.fileLength(), header.createdAtMillis(),
                header.entryCount(), header.blockCount(), header.largestKeyLength(), header.largestValueLength());
        }
        catch (final InternalError e)
        {
            throw vanishedPage(file, e);
        }
    }

    /**
     * A mapped page of the file vanished under a read (the file was truncated meanwhile). The JVM
     * reports that fault asynchronously, as an {@link InternalError} raised at a later point of
     * compiled code rather than where {@code SnapshotInput} could catch it (found by review: most
     * truncations during a load surfaced that way). Here it is an I/O failure like any other.
     */
    private static IOException vanishedPage(final Path file, final InternalError e)
    {
        return new IOException("snapshot " + file + " changed while being read (a mapped page vanished): " +
            e.getMessage(), e);
    }

    /** Writes checked entries into the store, counting outcomes. */
    private static final class Applier implements EntryConsumer
    {
        private final FerriteCache cache;
        private final EpochClock clock;
        private final boolean evictionEnabled;
        long restored;
        long skippedExpired;
        long keptExisting;

        Applier(final FerriteCache cache)
        {
            this.cache = cache;
            this.clock = cache.config().clock();
            this.evictionEnabled = cache.config().evictionEnabled();
        }

        @Override
        public void accept(
            final DirectBuffer buffer, final int keyOffset, final int keyLength, final int valueOffset,
            final int valueLength, final long version, final long expiresAtMillis, final long fileOffset)
        {
            if (expiresAtMillis != 0 && expiresAtMillis <= clock.time())
            {
                skippedExpired++;
                return;
            }
            for (int attempt = 0; ; attempt++)
            {
                // The general put, not restore(): a snapshot holds the store's own versions, which may
                // lie above what restore() takes from a caller (Store.MAX_RESTORE_VERSION; review).
                final long result = cache.put(buffer, keyOffset, keyLength, buffer, valueOffset, valueLength,
                    expiresAtMillis, Store.PUT_RESTORE, version, null);
                if (result > 0)
                {
                    restored++;
                    return;
                }
                if (result == Status.VERSION_MISMATCH)
                {
                    keptExisting++;
                    return;
                }
                if (result == Status.FULL && evictionEnabled && attempt < FULL_RETRIES)
                {
                    Thread.yield(); // no segment reclaimable at this instant: others are still reading them
                    continue;
                }
                throw new IllegalStateException("restoring the entry at offset " + fileOffset + " returned " +
                    Status.describe(result) + (result == Status.FULL ? " (the store is full" +
                    (evictionEnabled ? "" : " and eviction is off") + ")" : "") + " after " + restored +
                    " entries were restored");
            }
        }
    }
}
