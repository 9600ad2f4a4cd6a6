package dev.ferrite.engine.snapshot;

import dev.ferrite.engine.FerriteCache;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.zip.CRC32C;

import static dev.ferrite.engine.snapshot.SnapshotDescriptor.*;

/**
 * Writes every live entry of a store to a snapshot file (layout in {@link SnapshotDescriptor}).
 *
 * <h2>Consistency</h2>
 * The entries come from {@link FerriteCache#scan}, which is weakly consistent and never blocks
 * writers: an entry present and unchanged for the whole write is in the file exactly once, with
 * its value, version and expiry; one written, removed or evicted meanwhile may or may not be, and
 * if it is, with a state it really had. A key appears at most once. Entries expired by the store's
 * clock when visited are left out. The file is therefore a point-in-time image only of a quiet
 * store; for a busy one it is a valid base that replication must complete.
 *
 * <h2>Crash safety</h2>
 * The file is written in full to a temporary file beside the target ({@code .<name>.<random>.tmp}),
 * cut to length and forced to disk, then renamed over the target atomically and the directory
 * forced. A crash leaves the old file or the new one under the target name, never a part of one
 * (at worst a stray temporary file). On any failure the temporary file is deleted and the target is
 * untouched. The file is created readable and writable by its owner only, as it holds the data.
 *
 * <h2>Threads and resources</h2>
 * Blocking: the calling thread scans, encodes and writes; nothing else is started. The mapping is
 * released and the file closed before {@link #write} returns. Instances hold only settings and may
 * be shared.
 */
public final class SnapshotWriter
{
    public static final int DEFAULT_BLOCK_TARGET_BYTES = 1 << 20;
    public static final long DEFAULT_CHUNK_BYTES = 64L << 20;

    private final int blockTargetBytes;
    private final long chunkBytes;

    public SnapshotWriter()
    {
        this(DEFAULT_BLOCK_TARGET_BYTES, DEFAULT_CHUNK_BYTES);
    }

    /**
     * @param blockTargetBytes payload bytes per block before a new one starts.
     * @param chunkBytes       bytes Chronicle maps at a time; a power of two.
     */
    public SnapshotWriter(final int blockTargetBytes, final long chunkBytes)
    {
        if (blockTargetBytes < MIN_BLOCK_TARGET_BYTES || blockTargetBytes > MAX_BLOCK_TARGET_BYTES)
        {
            throw new IllegalArgumentException("blockTargetBytes=" + blockTargetBytes + " must be in [" +
                MIN_BLOCK_TARGET_BYTES + ", " + MAX_BLOCK_TARGET_BYTES + "]");
        }
        MappedFiles.checkChunkBytes(chunkBytes);
        this.blockTargetBytes = blockTargetBytes;
        this.chunkBytes = chunkBytes;
    }

    /**
     * Writes a snapshot of {@code cache} to {@code file}, replacing it atomically.
     *
     * @throws IOException           when the file cannot be written; the target is then unchanged.
     * @throws IllegalStateException when the cache is closed.
     */
    public SnapshotWriteSummary write(final FerriteCache cache, final Path file) throws IOException
    {
        Objects.requireNonNull(cache, "cache");
        final long startNs = System.nanoTime();
        final Path target = file.toAbsolutePath();
        final Path directory = target.getParent();
        if (directory == null)
        {
            throw new IllegalArgumentException("file=" + file + " names no file in a directory"); // "/" (review: an NPE)
        }
        final Path temporary = Files.createTempFile(directory, "." + target.getFileName() + ".", ".tmp");
        try
        {
            final long createdAtMillis = cache.config().clock().time();
            final long fileLength;
            final BlockEncoder encoder;
            try (SnapshotOutput output = SnapshotOutput.open(temporary, chunkBytes))
            {
                output.write(new byte[HEADER_LENGTH], 0, HEADER_LENGTH); // filled in last
                encoder = new BlockEncoder(output, blockTargetBytes, cache.config().clock());
                cache.scan(encoder);
                encoder.rethrowFailure();
                encoder.flush();

                final CRC32C crc = new CRC32C();
                final long trailerOffset = output.position();
                final byte[] trailer = new byte[TRAILER_LENGTH];
                new SnapshotTrailer(encoder.entryCount(), trailerOffset - HEADER_LENGTH, encoder.blockCount(),
                    encoder.chainCrc()).encode(trailer, crc);
                output.write(trailer, 0, TRAILER_LENGTH);
                fileLength = output.position();

                final byte[] header = new byte[HEADER_LENGTH];
                new SnapshotHeader(blockTargetBytes, createdAtMillis, fileLength, encoder.entryCount(),
                    encoder.blockCount(), encoder.largestKeyLength(), encoder.largestValueLength()).encode(header, crc);
                output.writeAt(0, header, 0, HEADER_LENGTH);
            }
            SnapshotOutput.finish(temporary, fileLength);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(directory);
            return new SnapshotWriteSummary(target, encoder.entryCount(), encoder.blockCount(), fileLength,
                System.nanoTime() - startNs);
        }
        catch (final Throwable failure)
        {
            deleteAfterFailure(temporary, failure);
            throw failure;
        }
    }

    private static void deleteAfterFailure(final Path temporary, final Throwable failure)
    {
        try
        {
            Files.deleteIfExists(temporary);
        }
        catch (final IOException e)
        {
            failure.addSuppressed(e);
        }
    }

    /** Makes the rename durable. Some platforms cannot open a directory; the rename is then as durable as they make it. */
    private static void forceDirectory(final Path directory)
    {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ))
        {
            channel.force(true);
        }
        catch (final IOException | UnsupportedOperationException ignored)
        {
            // Windows cannot open a directory as a channel; its rename is durable enough once the file was forced.
        }
    }
}
