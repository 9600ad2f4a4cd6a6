package dev.ferrite.engine.snapshot;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.zip.CRC32C;

import static dev.ferrite.engine.snapshot.SnapshotDescriptor.*;

/**
 * The file trailer (see {@link SnapshotDescriptor}): totals and the chain checksum over all blocks.
 */
record SnapshotTrailer(long entryCount, long blocksBytes, int blockCount, int chainCrc)
{
    /** Encodes this trailer, checksum included, into {@code bytes[0, TRAILER_LENGTH)}. */
    void encode(final byte[] bytes, final CRC32C crc)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes, 0, TRAILER_LENGTH);
        buffer.setMemory(0, TRAILER_LENGTH, (byte)0);
        buffer.putLong(TRAILER_MAGIC_OFFSET, TRAILER_MAGIC, BYTE_ORDER);
        buffer.putLong(TRAILER_ENTRY_COUNT_OFFSET, entryCount, BYTE_ORDER);
        buffer.putLong(TRAILER_BLOCKS_BYTES_OFFSET, blocksBytes, BYTE_ORDER);
        buffer.putInt(TRAILER_BLOCK_COUNT_OFFSET, blockCount, BYTE_ORDER);
        buffer.putInt(TRAILER_CHAIN_CRC_OFFSET, chainCrc, BYTE_ORDER);
        buffer.putInt(TRAILER_CRC_OFFSET, crc32c(crc, bytes, 0, TRAILER_CRC_OFFSET), BYTE_ORDER);
    }

    /**
     * Decodes the trailer and checks it against the header.
     *
     * @param bytes  the last {@link SnapshotDescriptor#TRAILER_LENGTH} bytes of the file.
     * @param offset where those bytes start in the file.
     */
    static SnapshotTrailer decode(
        final Path file, final byte[] bytes, final long offset, final SnapshotHeader header, final CRC32C crc)
        throws SnapshotCorruptException
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes, 0, TRAILER_LENGTH);
        if (buffer.getLong(TRAILER_MAGIC_OFFSET, BYTE_ORDER) != TRAILER_MAGIC)
        {
            throw new SnapshotCorruptException(file, offset, "trailer magic mismatch (truncated or overwritten end)");
        }
        if (buffer.getInt(TRAILER_CRC_OFFSET, BYTE_ORDER) != crc32c(crc, bytes, 0, TRAILER_CRC_OFFSET) ||
            buffer.getInt(TRAILER_RESERVED_OFFSET, BYTE_ORDER) != 0)
        {
            throw new SnapshotCorruptException(file, offset, "trailer checksum mismatch");
        }
        final SnapshotTrailer trailer = new SnapshotTrailer(
            buffer.getLong(TRAILER_ENTRY_COUNT_OFFSET, BYTE_ORDER),
            buffer.getLong(TRAILER_BLOCKS_BYTES_OFFSET, BYTE_ORDER),
            buffer.getInt(TRAILER_BLOCK_COUNT_OFFSET, BYTE_ORDER),
            buffer.getInt(TRAILER_CHAIN_CRC_OFFSET, BYTE_ORDER));
        if (trailer.entryCount != header.entryCount() || trailer.blockCount != header.blockCount() ||
            trailer.blocksBytes != offset - HEADER_LENGTH)
        {
            throw new SnapshotCorruptException(file, offset, "trailer records " + trailer.entryCount + " entries in " +
                trailer.blockCount + " blocks of " + trailer.blocksBytes + " bytes, but the header records " +
                header.entryCount() + " entries in " + header.blockCount() + " blocks of " + (offset - HEADER_LENGTH) +
                " bytes");
        }
        return trailer;
    }
}
