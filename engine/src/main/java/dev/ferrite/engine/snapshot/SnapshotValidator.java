package dev.ferrite.engine.snapshot;

import org.agrona.DirectBuffer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import static dev.ferrite.engine.snapshot.SnapshotDescriptor.*;

/**
 * The loader's first pass: reads the whole file and checks everything (header, trailer, every
 * block and entry, the chain and the counts) and every entry against the target's limits, applying
 * nothing. Corruption is reported as soon as it is found; entries over the limits are counted to the
 * end, so an oversized file is refused only when it is otherwise intact.
 */
final class SnapshotValidator
{
    private final SnapshotInput input;
    private final EntryLimits limits;
    private final Path file;

    private long oversizedEntries;
    private String firstOversized;
    private int largestKeyLength;
    private int largestValueLength;

    private SnapshotValidator(final SnapshotInput input, final EntryLimits limits)
    {
        this.input = input;
        this.limits = limits;
        this.file = input.file();
    }

    /**
     * @return the header of a file that is intact and whose entries all fit {@code limits}.
     * @throws SnapshotCorruptException when the file is truncated, corrupt, foreign or of an unsupported version.
     * @throws SnapshotLimitException   when it is intact but holds entries over {@code limits}.
     */
    static SnapshotHeader validate(final SnapshotInput input, final EntryLimits limits) throws IOException
    {
        return new SnapshotValidator(input, limits).run();
    }

    static SnapshotHeader readHeader(final SnapshotInput input, final CRC32C crc) throws IOException
    {
        final byte[] bytes = new byte[HEADER_LENGTH];
        input.read(0, bytes, 0, (int)Math.min(HEADER_LENGTH, input.length()));
        return SnapshotHeader.decode(input.file(), bytes, input.length(), crc);
    }

    private SnapshotHeader run() throws IOException
    {
        final CRC32C crc = new CRC32C();
        final SnapshotHeader header = readHeader(input, crc);
        final long trailerOffset = header.fileLength() - TRAILER_LENGTH;
        final byte[] trailerBytes = new byte[TRAILER_LENGTH];
        input.read(trailerOffset, trailerBytes, 0, TRAILER_LENGTH);
        final SnapshotTrailer trailer = SnapshotTrailer.decode(file, trailerBytes, trailerOffset, header, crc);

        final BlockReader blocks = new BlockReader(input, header);
        final EntryConsumer check = this::check;
        final long largestBuffered = Math.max(header.blockTargetBytes(), limits.maxEntryBytes());
        while (blocks.hasNext())
        {
            blocks.next();
            if (blocks.payloadLength() <= largestBuffered)
            {
                blocks.loadPayload();
                blocks.forEachEntry(check);
            }
            else
            {
                blocks.verifyPayloadStreaming(check); // one entry, larger than the target accepts
            }
        }
        blocks.finish(trailer);
        if (largestKeyLength != header.largestKeyLength() || largestValueLength != header.largestValueLength())
        {
            throw new SnapshotCorruptException(file, LARGEST_KEY_LENGTH_OFFSET, "header records largestKeyLength=" +
                header.largestKeyLength() + " largestValueLength=" + header.largestValueLength() + " but the entries' " +
                "largest are " + largestKeyLength + " and " + largestValueLength);
        }
        if (oversizedEntries > 0)
        {
            throw new SnapshotLimitException(file, oversizedEntries, firstOversized);
        }
        return header;
    }

    private void check(
        final DirectBuffer buffer, final int keyOffset, final int keyLength,
        final int valueOffset, final int valueLength, final long version, final long expiresAtMillis,
        final long fileOffset)
    {
        largestKeyLength = Math.max(largestKeyLength, keyLength);
        largestValueLength = Math.max(largestValueLength, valueLength);
        final String violation = limits.violation(keyLength, valueLength);
        if (violation != null && oversizedEntries++ == 0)
        {
            firstOversized = "the entry at offset " + fileOffset + ": " + violation;
        }
    }
}
