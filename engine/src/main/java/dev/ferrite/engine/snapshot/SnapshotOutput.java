package dev.ferrite.engine.snapshot;

import net.openhft.chronicle.bytes.MappedBytes;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Sequential writes to a new snapshot file through a chunked Chronicle {@link MappedBytes}, plus one
 * positional write to fill the header at the end. Chronicle grows the file a chunk at a time, so
 * {@link #finish} cuts it back to the bytes written and forces it to disk once it is unmapped.
 * Single-threaded, like all Chronicle bytes.
 */
final class SnapshotOutput implements AutoCloseable
{
    private final Path file;
    private final MappedBytes bytes;

    private SnapshotOutput(final Path file, final MappedBytes bytes)
    {
        this.file = file;
        this.bytes = bytes;
    }

    static SnapshotOutput open(final Path file, final long chunkBytes) throws IOException
    {
        return new SnapshotOutput(file,
            MappedBytes.mappedBytes(file.toFile(), chunkBytes, MappedFiles.OVERLAP_BYTES, false));
    }

    /** Bytes written so far. */
    long position()
    {
        return bytes.writePosition();
    }

    void write(final byte[] source, final int offset, final int length) throws IOException
    {
        try
        {
            bytes.write(source, offset, length);
        }
        catch (final RuntimeException | InternalError e)
        {
            throw failure(bytes.writePosition(), e);
        }
    }

    /** Overwrites bytes already written, without moving the position. */
    void writeAt(final long position, final byte[] source, final int offset, final int length) throws IOException
    {
        if (position < 0 || position + length > bytes.writePosition())
        {
            throw new IllegalArgumentException("position=" + position + " length=" + length +
                " is outside the written bytes [0, " + bytes.writePosition() + ")");
        }
        try
        {
            bytes.write(position, source, offset, length);
        }
        catch (final RuntimeException | InternalError e)
        {
            throw failure(position, e);
        }
    }

    private IOException failure(final long position, final Throwable cause)
    {
        // InternalError: the JVM's report of a fault on a mapped page, as when the disk is full.
        return new IOException("writing snapshot " + file + " at offset " + position + " failed" +
            (cause instanceof InternalError ? " (is the disk full?)" : ""), cause);
    }

    @Override
    public void close()
    {
        MappedFiles.release(bytes);
    }

    /** After {@link #close()}: cuts the file to {@code length} bytes and forces data and metadata to disk. */
    static void finish(final Path file, final long length) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.truncate(length);
            channel.force(true);
        }
    }
}
