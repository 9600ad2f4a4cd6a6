package dev.ferrite.engine.snapshot;

import net.openhft.chronicle.bytes.MappedBytes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Read-only, bounds-checked access to a snapshot file through a chunked Chronicle
 * {@link MappedBytes}. Every read is checked against the file length measured at open time before
 * Chronicle is asked for it, so no length taken from the file can make it map or touch memory past
 * the end; Chronicle checks again against its own read limit.
 *
 * <p>Reads position the stream and copy with the streaming {@code read(byte[], int, int)}, which
 * moves across chunks; Chronicle's positional {@code read(long, byte[], int, int)} stays in the
 * current chunk and must not be used on a chunked mapping. Single-threaded, like all Chronicle bytes.
 */
final class SnapshotInput implements AutoCloseable
{
    private final Path file;
    private final long length;
    private final MappedBytes bytes;

    private SnapshotInput(final Path file, final long length, final MappedBytes bytes)
    {
        this.file = file;
        this.length = length;
        this.bytes = bytes;
    }

    static SnapshotInput open(final Path file, final long chunkBytes) throws IOException
    {
        final long length = Files.size(file);
        if (length == 0)
        {
            return new SnapshotInput(file, 0, null); // nothing to map; every read fails the bounds check
        }
        final MappedBytes bytes = MappedBytes.mappedBytes(file.toFile(), chunkBytes, MappedFiles.OVERLAP_BYTES, true);
        try
        {
            bytes.readLimit(length);
            return new SnapshotInput(file, length, bytes);
        }
        catch (final RuntimeException e)
        {
            MappedFiles.release(bytes);
            throw e;
        }
    }

    Path file()
    {
        return file;
    }

    /** File length at open time. */
    long length()
    {
        return length;
    }

    /** Copies {@code [offset, offset + count)} of the file into {@code destination}. */
    void read(final long offset, final byte[] destination, final int destinationOffset, final int count)
        throws IOException
    {
        if (offset < 0 || count < 0 || offset > length - count)
        {
            throw new SnapshotCorruptException(file, offset,
                "read of " + count + " bytes past the end of the file (" + length + " bytes)");
        }
        if (count == 0)
        {
            return;
        }
        final int copied;
        try
        {
            bytes.readPosition(offset);
            copied = bytes.read(destination, destinationOffset, count);
        }
        catch (final RuntimeException | InternalError e)
        {
            // InternalError: the JVM's report of a fault on a mapped page, as when the file shrank under us.
            throw new IOException("reading " + count + " bytes at offset " + offset + " of snapshot " + file +
                " failed (was it changed while being read?)", e);
        }
        if (copied != count)
        {
            throw new IOException("reading " + count + " bytes at offset " + offset + " of snapshot " + file +
                " returned " + copied);
        }
    }

    @Override
    public void close()
    {
        MappedFiles.release(bytes);
    }
}
