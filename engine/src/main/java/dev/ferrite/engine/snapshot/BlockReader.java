package dev.ferrite.engine.snapshot;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import static dev.ferrite.engine.snapshot.SnapshotDescriptor.*;

/**
 * Walks the blocks of a snapshot whose header and trailer were decoded, checking each block
 * header (magic, checksum, index, lengths within the file) before its payload is read, and each
 * payload's checksum before its entries are parsed. Every entry is checked against its block
 * (lengths non-negative and inside the payload, version positive, expiry non-negative, lengths
 * within what the header records) before a consumer sees it. Offsets in messages are file offsets.
 * Single-threaded.
 */
final class BlockReader
{
    private static final int STREAMING_PIECE_BYTES = 64 << 10;

    private final SnapshotInput input;
    private final SnapshotHeader header;
    private final Path file;
    private final long trailerOffset;
    private final CRC32C crc = new CRC32C();
    private final CRC32C chain = new CRC32C();
    private final byte[] blockHeader = new byte[BLOCK_HEADER_LENGTH];
    private final UnsafeBuffer blockHeaderBuffer = new UnsafeBuffer(blockHeader);
    private final UnsafeBuffer payloadBuffer = new UnsafeBuffer(new byte[0]);
    private byte[] payload = new byte[0];

    private long position = HEADER_LENGTH;
    private int blockIndex = -1;
    private long blockOffset;
    private int payloadLength;
    private int entryCount;
    private long entriesSeen;

    BlockReader(final SnapshotInput input, final SnapshotHeader header)
    {
        this.input = input;
        this.header = header;
        this.file = input.file();
        this.trailerOffset = header.fileLength() - TRAILER_LENGTH;
    }

    boolean hasNext()
    {
        return position < trailerOffset;
    }

    private long payloadOffset()
    {
        return blockOffset + BLOCK_HEADER_LENGTH;
    }

    int payloadLength()
    {
        return payloadLength;
    }

    /** Reads and checks the next block's header; its payload is read by {@link #loadPayload()} or checked by {@link #verifyPayloadStreaming()}. */
    void next() throws IOException
    {
        blockOffset = position;
        blockIndex++;
        if (blockIndex >= header.blockCount())
        {
            throw corrupt(blockOffset, "block " + blockIndex + " is beyond the " + header.blockCount() +
                " blocks the header records");
        }
        if (trailerOffset - blockOffset < BLOCK_HEADER_LENGTH)
        {
            throw corrupt(blockOffset, (trailerOffset - blockOffset) + " stray bytes before the trailer");
        }
        input.read(blockOffset, blockHeader, 0, BLOCK_HEADER_LENGTH);
        if (blockHeaderBuffer.getInt(BLOCK_MAGIC_OFFSET, BYTE_ORDER) != BLOCK_MAGIC)
        {
            throw corrupt(blockOffset, "block " + blockIndex + " magic mismatch");
        }
        final int headerCrc = blockHeaderBuffer.getInt(BLOCK_HEADER_CRC_OFFSET, BYTE_ORDER);
        if (headerCrc != crc32c(crc, blockHeader, 0, BLOCK_HEADER_CRC_OFFSET))
        {
            throw corrupt(blockOffset, "block " + blockIndex + " header checksum mismatch");
        }
        final int recordedIndex = blockHeaderBuffer.getInt(BLOCK_INDEX_OFFSET, BYTE_ORDER);
        if (recordedIndex != blockIndex)
        {
            throw corrupt(blockOffset, "block " + blockIndex + " records index " + recordedIndex +
                " (a block is missing, repeated or out of order)");
        }
        payloadLength = blockHeaderBuffer.getInt(BLOCK_PAYLOAD_LENGTH_OFFSET, BYTE_ORDER);
        entryCount = blockHeaderBuffer.getInt(BLOCK_ENTRY_COUNT_OFFSET, BYTE_ORDER);
        if (entryCount < 1 || payloadLength < 0 || (long)entryCount * ENTRY_HEADER_LENGTH > payloadLength)
        {
            throw corrupt(blockOffset, "block " + blockIndex + " records entryCount=" + entryCount +
                " in payloadLength=" + payloadLength);
        }
        if (payloadLength > trailerOffset - payloadOffset())
        {
            throw corrupt(blockOffset, "block " + blockIndex + " payloadLength=" + payloadLength + " runs past the " +
                "trailer at offset " + trailerOffset);
        }
        if (payloadLength > header.blockTargetBytes() && entryCount != 1)
        {
            throw corrupt(blockOffset, "block " + blockIndex + " holds " + entryCount + " entries in " + payloadLength +
                " bytes, over the blockTargetBytes=" + header.blockTargetBytes() + " a block of several entries keeps to");
        }
        if (entriesSeen + entryCount > header.entryCount())
        {
            throw corrupt(blockOffset, "block " + blockIndex + " takes the entries past the " + header.entryCount() +
                " the header records");
        }
        entriesSeen += entryCount;
        position = payloadOffset() + payloadLength;
        SnapshotDescriptor.chain(chain, headerCrc);
    }

    /** Reads the current payload into memory and verifies its checksum. */
    UnsafeBuffer loadPayload() throws IOException
    {
        if (payload.length < payloadLength)
        {
            payload = new byte[payloadLength];
        }
        input.read(payloadOffset(), payload, 0, payloadLength);
        if (crc32c(crc, payload, 0, payloadLength) != blockHeaderBuffer.getInt(BLOCK_PAYLOAD_CRC_OFFSET, BYTE_ORDER))
        {
            throw corrupt(blockOffset, "block " + blockIndex + " checksum mismatch");
        }
        payloadBuffer.wrap(payload, 0, payloadLength);
        return payloadBuffer;
    }

    /**
     * Verifies the checksum of the current single-entry payload piece by piece, without holding it
     * (it is larger than the target accepts), then hands its entry's header to {@code consumer}
     * with the key and value left out (offsets and lengths refer to no readable bytes).
     */
    void verifyPayloadStreaming(final EntryConsumer consumer) throws IOException
    {
        final byte[] piece = new byte[STREAMING_PIECE_BYTES];
        crc.reset();
        for (long done = 0; done < payloadLength; )
        {
            final int count = (int)Math.min(piece.length, payloadLength - done);
            input.read(payloadOffset() + done, piece, 0, count);
            crc.update(piece, 0, count);
            done += count;
        }
        if ((int)crc.getValue() != blockHeaderBuffer.getInt(BLOCK_PAYLOAD_CRC_OFFSET, BYTE_ORDER))
        {
            throw corrupt(blockOffset, "block " + blockIndex + " checksum mismatch");
        }
        input.read(payloadOffset(), piece, 0, ENTRY_HEADER_LENGTH);
        final UnsafeBuffer entryHeader = new UnsafeBuffer(piece, 0, ENTRY_HEADER_LENGTH);
        parse(entryHeader, ENTRY_HEADER_LENGTH, payloadLength, (buffer, keyOffset, keyLength, valueOffset, valueLength,
            version, expiresAtMillis, fileOffset) -> consumer.accept(
                buffer, 0, keyLength, 0, valueLength, version, expiresAtMillis, fileOffset));
    }

    /** Checks every entry of the payload returned by {@link #loadPayload()} and hands each to {@code consumer}. */
    void forEachEntry(final EntryConsumer consumer) throws IOException
    {
        parse(payloadBuffer, payloadLength, payloadLength, consumer);
    }

    /**
     * @param readable bytes of {@code buffer} holding entry bytes (all of the payload, or one entry header).
     * @param length   the payload length the entries must fill exactly.
     */
    private void parse(final UnsafeBuffer buffer, final int readable, final int length, final EntryConsumer consumer)
        throws IOException
    {
        int offset = 0;
        for (int entry = 0; entry < entryCount; entry++)
        {
            final long fileOffset = payloadOffset() + offset;
            if (length - offset < ENTRY_HEADER_LENGTH || readable - offset < ENTRY_HEADER_LENGTH)
            {
                throw corrupt(fileOffset, "block " + blockIndex + " entry " + entry + " header runs past the block end");
            }
            final int keyLength = buffer.getInt(offset + ENTRY_KEY_LENGTH_OFFSET, BYTE_ORDER);
            final int valueLength = buffer.getInt(offset + ENTRY_VALUE_LENGTH_OFFSET, BYTE_ORDER);
            final long version = buffer.getLong(offset + ENTRY_VERSION_OFFSET, BYTE_ORDER);
            final long expiresAtMillis = buffer.getLong(offset + ENTRY_EXPIRES_AT_OFFSET, BYTE_ORDER);
            final long end = (long)offset + ENTRY_HEADER_LENGTH + (long)keyLength + (long)valueLength;
            if (keyLength < 0 || valueLength < 0 || end > length)
            {
                throw corrupt(fileOffset, "block " + blockIndex + " entry " + entry + " keyLength=" + keyLength +
                    " valueLength=" + valueLength + " do not fit the block's payloadLength=" + length);
            }
            if (keyLength > header.largestKeyLength() || valueLength > header.largestValueLength())
            {
                throw corrupt(fileOffset, "block " + blockIndex + " entry " + entry + " keyLength=" + keyLength +
                    " valueLength=" + valueLength + " exceed the largest the header records (" +
                    header.largestKeyLength() + ", " + header.largestValueLength() + ")");
            }
            if (version <= 0 || expiresAtMillis < 0)
            {
                throw corrupt(fileOffset, "block " + blockIndex + " entry " + entry + " has version=" + version +
                    " expiresAtMillis=" + expiresAtMillis + " (version must be positive, expiry 0 or positive)");
            }
            final int keyOffset = offset + ENTRY_HEADER_LENGTH;
            consumer.accept(buffer, keyOffset, keyLength, keyOffset + keyLength, valueLength, version, expiresAtMillis,
                fileOffset);
            offset = (int)end;
        }
        if (offset != length)
        {
            throw corrupt(payloadOffset() + offset, "block " + blockIndex + " has " + (length - offset) +
                " bytes after its " + entryCount + " entries");
        }
    }

    /** After the last block: checks the block and entry counts and the chain against the trailer. */
    void finish(final SnapshotTrailer trailer) throws SnapshotCorruptException
    {
        if (blockIndex + 1 != header.blockCount() || entriesSeen != header.entryCount())
        {
            throw corrupt(trailerOffset, "found " + entriesSeen + " entries in " + (blockIndex + 1) +
                " blocks, but the header records " + header.entryCount() + " entries in " + header.blockCount() +
                " blocks");
        }
        if ((int)chain.getValue() != trailer.chainCrc())
        {
            throw corrupt(trailerOffset, "block chain checksum mismatch (a block was replaced)");
        }
    }

    private SnapshotCorruptException corrupt(final long offset, final String problem)
    {
        return new SnapshotCorruptException(file, offset, problem);
    }
}
