package dev.ferrite.engine.snapshot;

import dev.ferrite.engine.log.RecordDescriptor;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.zip.CRC32C;

import static dev.ferrite.engine.snapshot.SnapshotDescriptor.*;

/**
 * The file header (see {@link SnapshotDescriptor}): encoded by the writer, decoded and checked by
 * the reader. Decoding trusts nothing: the magic, version, checksum, file length and every count
 * are checked before any field is used.
 */
record SnapshotHeader(
    int blockTargetBytes,
    long createdAtMillis,
    long fileLength,
    long entryCount,
    int blockCount,
    int largestKeyLength,
    int largestValueLength)
{
    /** Encodes this header, checksum included, into {@code bytes[0, HEADER_LENGTH)}. */
    void encode(final byte[] bytes, final CRC32C crc)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes, 0, HEADER_LENGTH);
        buffer.setMemory(0, HEADER_LENGTH, (byte)0);
        buffer.putLong(MAGIC_OFFSET, MAGIC, BYTE_ORDER);
        buffer.putInt(FORMAT_VERSION_OFFSET, FORMAT_VERSION, BYTE_ORDER);
        buffer.putInt(HEADER_LENGTH_OFFSET, HEADER_LENGTH, BYTE_ORDER);
        buffer.putInt(FLAGS_OFFSET, 0, BYTE_ORDER);
        buffer.putInt(BLOCK_TARGET_BYTES_OFFSET, blockTargetBytes, BYTE_ORDER);
        buffer.putLong(CREATED_AT_OFFSET, createdAtMillis, BYTE_ORDER);
        buffer.putLong(FILE_LENGTH_OFFSET, fileLength, BYTE_ORDER);
        buffer.putLong(ENTRY_COUNT_OFFSET, entryCount, BYTE_ORDER);
        buffer.putInt(BLOCK_COUNT_OFFSET, blockCount, BYTE_ORDER);
        buffer.putInt(LARGEST_KEY_LENGTH_OFFSET, largestKeyLength, BYTE_ORDER);
        buffer.putInt(LARGEST_VALUE_LENGTH_OFFSET, largestValueLength, BYTE_ORDER);
        buffer.putInt(HEADER_CRC_OFFSET, crc32c(crc, bytes, 0, HEADER_CRC_OFFSET), BYTE_ORDER);
    }

    /**
     * Decodes and checks the header of a file of {@code actualLength} bytes.
     *
     * @param bytes the first {@code min(actualLength, HEADER_LENGTH)} bytes of the file.
     */
    static SnapshotHeader decode(final Path file, final byte[] bytes, final long actualLength, final CRC32C crc)
        throws SnapshotCorruptException
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        if (actualLength >= Long.BYTES && buffer.getLong(MAGIC_OFFSET, BYTE_ORDER) != MAGIC)
        {
            throw new SnapshotCorruptException(file, MAGIC_OFFSET, String.format(
                "not a Ferrite snapshot: magic 0x%016x, expected 0x%016x (\"FERRSNAP\")",
                buffer.getLong(MAGIC_OFFSET, BYTE_ORDER), MAGIC));
        }
        if (actualLength < HEADER_LENGTH)
        {
            throw new SnapshotCorruptException(file, actualLength,
                "truncated: the file has " + actualLength + " bytes, fewer than the " + HEADER_LENGTH + "-byte header");
        }
        final int version = buffer.getInt(FORMAT_VERSION_OFFSET, BYTE_ORDER);
        if (version != FORMAT_VERSION)
        {
            throw new SnapshotCorruptException(file, FORMAT_VERSION_OFFSET,
                "unsupported format version " + version + " (this build reads version " + FORMAT_VERSION + ")");
        }
        final int headerLength = buffer.getInt(HEADER_LENGTH_OFFSET, BYTE_ORDER);
        final int storedCrc = buffer.getInt(HEADER_CRC_OFFSET, BYTE_ORDER);
        if (headerLength != HEADER_LENGTH || storedCrc != crc32c(crc, bytes, 0, HEADER_CRC_OFFSET))
        {
            throw new SnapshotCorruptException(file, 0, "header checksum mismatch");
        }
        final int flags = buffer.getInt(FLAGS_OFFSET, BYTE_ORDER);
        if (flags != 0)
        {
            throw new SnapshotCorruptException(file, FLAGS_OFFSET,
                "unsupported flags 0x" + Integer.toHexString(flags) + " (this build knows none)");
        }
        final SnapshotHeader header = new SnapshotHeader(
            buffer.getInt(BLOCK_TARGET_BYTES_OFFSET, BYTE_ORDER),
            buffer.getLong(CREATED_AT_OFFSET, BYTE_ORDER),
            buffer.getLong(FILE_LENGTH_OFFSET, BYTE_ORDER),
            buffer.getLong(ENTRY_COUNT_OFFSET, BYTE_ORDER),
            buffer.getInt(BLOCK_COUNT_OFFSET, BYTE_ORDER),
            buffer.getInt(LARGEST_KEY_LENGTH_OFFSET, BYTE_ORDER),
            buffer.getInt(LARGEST_VALUE_LENGTH_OFFSET, BYTE_ORDER));
        header.check(file, actualLength);
        return header;
    }

    private void check(final Path file, final long actualLength) throws SnapshotCorruptException
    {
        if (actualLength < fileLength)
        {
            throw new SnapshotCorruptException(file, actualLength,
                "truncated: the file has " + actualLength + " bytes but its header records " + fileLength);
        }
        if (actualLength > fileLength)
        {
            throw new SnapshotCorruptException(file, fileLength, (actualLength - fileLength) +
                " unexpected bytes after the trailer: the file has " + actualLength + " bytes but its header records " +
                fileLength);
        }
        if (fileLength < HEADER_LENGTH + TRAILER_LENGTH)
        {
            throw new SnapshotCorruptException(file, FILE_LENGTH_OFFSET,
                "header records fileLength=" + fileLength + ", less than header and trailer");
        }
        if (blockTargetBytes < MIN_BLOCK_TARGET_BYTES || blockTargetBytes > MAX_BLOCK_TARGET_BYTES)
        {
            throw new SnapshotCorruptException(file, BLOCK_TARGET_BYTES_OFFSET, "header records blockTargetBytes=" +
                blockTargetBytes + ", outside [" + MIN_BLOCK_TARGET_BYTES + ", " + MAX_BLOCK_TARGET_BYTES + "]");
        }
        final long blocksBytes = fileLength - HEADER_LENGTH - TRAILER_LENGTH;
        if (entryCount < 0 || blockCount < 0 || (entryCount == 0) != (blockCount == 0) || entryCount < blockCount ||
            entryCount > blocksBytes / ENTRY_HEADER_LENGTH ||
            blockCount > blocksBytes / (BLOCK_HEADER_LENGTH + ENTRY_HEADER_LENGTH))
        {
            throw new SnapshotCorruptException(file, ENTRY_COUNT_OFFSET,
                "header records entryCount=" + entryCount + " in blockCount=" + blockCount + ", impossible in a file of " +
                fileLength + " bytes");
        }
        if (largestKeyLength < 0 || largestKeyLength > RecordDescriptor.MAX_KEY_LENGTH ||
            largestValueLength < 0 || largestValueLength > RecordDescriptor.MAX_VALUE_LENGTH)
        {
            throw new SnapshotCorruptException(file, LARGEST_KEY_LENGTH_OFFSET, "header records largestKeyLength=" +
                largestKeyLength + " largestValueLength=" + largestValueLength + ", beyond what any store holds");
        }
    }
}
