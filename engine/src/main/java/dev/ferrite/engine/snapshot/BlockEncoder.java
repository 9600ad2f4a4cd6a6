package dev.ferrite.engine.snapshot;

import dev.ferrite.engine.EntryVisitor;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.EpochClock;

import java.io.IOException;
import java.util.zip.CRC32C;

import static dev.ferrite.engine.snapshot.SnapshotDescriptor.*;

/**
 * The writer's scan visitor: packs entries into a heap block behind room for its block header and,
 * when the next entry would take the block past the target, seals the block (payload checksum,
 * header, header checksum) and appends it to the output in one write. An entry larger than the
 * target gets a block of its own. Entries already expired by the store's clock are left out.
 *
 * <p>Failures inside the scan are kept and the scan is stopped ({@link #visit} returns false);
 * {@link #rethrowFailure()} reports them once the scan returns.
 */
final class BlockEncoder implements EntryVisitor
{
    private final SnapshotOutput output;
    private final int blockTargetBytes;
    private final EpochClock clock;
    private final ExpandableArrayBuffer block;
    private final CRC32C crc = new CRC32C();
    private final CRC32C chain = new CRC32C();

    private int blockLength = BLOCK_HEADER_LENGTH;
    private int entriesInBlock;
    private int blockCount;
    private long entryCount;
    private int largestKeyLength;
    private int largestValueLength;
    private Throwable failure;

    BlockEncoder(final SnapshotOutput output, final int blockTargetBytes, final EpochClock clock)
    {
        this.output = output;
        this.blockTargetBytes = blockTargetBytes;
        this.clock = clock;
        this.block = new ExpandableArrayBuffer(BLOCK_HEADER_LENGTH + blockTargetBytes);
    }

    @Override
    public boolean visit(
        final DirectBuffer key, final int keyOffset, final int keyLength,
        final DirectBuffer value, final int valueOffset, final int valueLength,
        final long version, final long expiresAtMillis)
    {
        if (expiresAtMillis != 0 && expiresAtMillis <= clock.time())
        {
            return true;
        }
        try
        {
            final long entryBytes = (long)ENTRY_HEADER_LENGTH + keyLength + valueLength;
            if (entriesInBlock > 0 && blockLength - BLOCK_HEADER_LENGTH + entryBytes > blockTargetBytes)
            {
                flush();
            }
            final int offset = blockLength;
            block.putInt(offset + ENTRY_KEY_LENGTH_OFFSET, keyLength, BYTE_ORDER);
            block.putInt(offset + ENTRY_VALUE_LENGTH_OFFSET, valueLength, BYTE_ORDER);
            block.putLong(offset + ENTRY_VERSION_OFFSET, version, BYTE_ORDER);
            block.putLong(offset + ENTRY_EXPIRES_AT_OFFSET, expiresAtMillis, BYTE_ORDER);
            block.putBytes(offset + ENTRY_HEADER_LENGTH, key, keyOffset, keyLength);
            block.putBytes(offset + ENTRY_HEADER_LENGTH + keyLength, value, valueOffset, valueLength);
            blockLength = (int)(offset + entryBytes);
            entriesInBlock++;
            entryCount++;
            largestKeyLength = Math.max(largestKeyLength, keyLength);
            largestValueLength = Math.max(largestValueLength, valueLength);
            return true;
        }
        catch (final IOException | RuntimeException | InternalError e)
        {
            failure = e;
            return false;
        }
    }

    /** Seals and writes the open block, if it holds any entry. */
    void flush() throws IOException
    {
        if (entriesInBlock == 0)
        {
            return;
        }
        if (blockCount == Integer.MAX_VALUE)
        {
            throw new IOException("snapshot would exceed " + Integer.MAX_VALUE + " blocks");
        }
        final byte[] bytes = block.byteArray();
        final int payloadLength = blockLength - BLOCK_HEADER_LENGTH;
        block.putInt(BLOCK_MAGIC_OFFSET, BLOCK_MAGIC, BYTE_ORDER);
        block.putInt(BLOCK_INDEX_OFFSET, blockCount, BYTE_ORDER);
        block.putInt(BLOCK_PAYLOAD_LENGTH_OFFSET, payloadLength, BYTE_ORDER);
        block.putInt(BLOCK_ENTRY_COUNT_OFFSET, entriesInBlock, BYTE_ORDER);
        block.putInt(BLOCK_PAYLOAD_CRC_OFFSET, crc32c(crc, bytes, BLOCK_HEADER_LENGTH, payloadLength), BYTE_ORDER);
        final int headerCrc = crc32c(crc, bytes, 0, BLOCK_HEADER_CRC_OFFSET);
        block.putInt(BLOCK_HEADER_CRC_OFFSET, headerCrc, BYTE_ORDER);
        output.write(bytes, 0, blockLength);
        SnapshotDescriptor.chain(chain, headerCrc);
        blockCount++;
        blockLength = BLOCK_HEADER_LENGTH;
        entriesInBlock = 0;
    }

    void rethrowFailure() throws IOException
    {
        if (failure instanceof IOException)
        {
            throw (IOException)failure;
        }
        if (failure != null)
        {
            throw new IOException("writing a snapshot entry failed", failure);
        }
    }

    int blockCount()
    {
        return blockCount;
    }

    long entryCount()
    {
        return entryCount;
    }

    int largestKeyLength()
    {
        return largestKeyLength;
    }

    int largestValueLength()
    {
        return largestValueLength;
    }

    int chainCrc()
    {
        return (int)chain.getValue();
    }
}
