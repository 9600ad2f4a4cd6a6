package dev.ferrite.engine.snapshot;

import dev.ferrite.engine.FerriteCache;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static dev.ferrite.engine.snapshot.SnapshotDescriptor.*;
import static dev.ferrite.engine.snapshot.SnapshotFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/** Every damaged file is refused with a message saying what and where, and loads nothing. */
class SnapshotCorruptionTest
{
    private static final int BLOCK_TARGET_BYTES = 1024;

    @TempDir
    Path directory;

    private Path file;
    private long fileLength;
    private List<Integer> blocks;
    private FerriteCache target;

    @BeforeEach
    void writeSnapshot() throws IOException
    {
        try (FerriteCache source = cache(clockAt(START_MILLIS), 8 << 20))
        {
            fill(source, "key-", 300, 40, 0);
            file = directory.resolve("store.snap");
            new SnapshotWriter(BLOCK_TARGET_BYTES, SnapshotWriter.DEFAULT_CHUNK_BYTES).write(source, file);
        }
        fileLength = Files.size(file);
        blocks = blockOffsets(file);
        assertTrue(blocks.size() > 10, "several blocks: " + blocks.size());
        target = cache(clockAt(START_MILLIS), 8 << 20);
    }

    @AfterEach
    void closeTarget()
    {
        target.close();
    }

    @Test
    void shouldLoadTheUndamagedFile() throws IOException
    {
        assertEquals(300, Snapshots.load(target, file).restored());
    }

    @Test
    void shouldRefuseADamagedHeader() throws IOException
    {
        flipByte(file, CREATED_AT_OFFSET + 2);
        assertRefused("header checksum mismatch at offset 0 of snapshot " + file);
    }

    @Test
    void shouldRefuseADamagedEntryBlock() throws IOException
    {
        flipByte(file, blocks.get(3) + BLOCK_HEADER_LENGTH + 100);
        assertRefused("block 3 checksum mismatch at offset " + blocks.get(3));
    }

    @Test
    void shouldRefuseDamageInTheLastBlockWithoutLoadingTheBlocksBeforeIt() throws IOException
    {
        final int last = blocks.size() - 1;
        flipByte(file, fileLength - TRAILER_LENGTH - 1);
        assertRefused("block " + last + " checksum mismatch at offset " + blocks.get(last));
    }

    @Test
    void shouldRefuseADamagedBlockHeader() throws IOException
    {
        flipByte(file, blocks.get(2) + BLOCK_PAYLOAD_LENGTH_OFFSET);
        assertRefused("block 2 header checksum mismatch at offset " + blocks.get(2));
    }

    @Test
    void shouldRefuseADamagedTrailer() throws IOException
    {
        flipByte(file, fileLength - TRAILER_LENGTH + TRAILER_CHAIN_CRC_OFFSET);
        assertRefused("trailer checksum mismatch at offset " + (fileLength - TRAILER_LENGTH));
    }

    @ParameterizedTest(name = "cut at {0}")
    @ValueSource(longs = {0, 7, 8, 63, 64, 80, -1000, -41, -40, -39, -1})
    void shouldRefuseATruncatedFile(final long cut) throws IOException
    {
        final long length = cut >= 0 ? cut : fileLength + cut;
        truncate(file, length);
        assertRefused("truncated");
    }

    @Test
    void shouldRefuseBytesAppendedAfterTheTrailer() throws IOException
    {
        Files.write(file, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
        assertRefused("1 unexpected bytes after the trailer");
    }

    @Test
    void shouldRefuseAForeignFile() throws IOException
    {
        final byte[] content = Files.readAllBytes(file);
        System.arraycopy("NOTASNAP".getBytes(StandardCharsets.US_ASCII), 0, content, 0, 8);
        Files.write(file, content);
        assertRefused("not a Ferrite snapshot");
    }

    @Test
    void shouldRefuseAnUnsupportedFormatVersion() throws IOException
    {
        final byte[] content = Files.readAllBytes(file);
        new UnsafeBuffer(content).putInt(FORMAT_VERSION_OFFSET, FORMAT_VERSION + 1, BYTE_ORDER);
        Files.write(file, content);
        assertRefused("unsupported format version " + (FORMAT_VERSION + 1));
    }

    @Test
    void shouldRefuseEverySingleByteChangeOfASmallFile() throws IOException
    {
        final Path small = directory.resolve("small.snap");
        try (FerriteCache source = cache(clockAt(START_MILLIS), 4 << 20))
        {
            fill(source, "k", 12, 9, START_MILLIS + 60_000);
            new SnapshotWriter(MIN_BLOCK_TARGET_BYTES, SnapshotWriter.DEFAULT_CHUNK_BYTES).write(source, small);
        }
        final byte[] original = Files.readAllBytes(small);
        assertTrue(blockOffsets(original).size() > 1);
        for (int offset = 0; offset < original.length; offset++)
        {
            final byte[] damaged = original.clone();
            damaged[offset] ^= 1 << (offset % 8);
            Files.write(small, damaged);
            final int at = offset;
            final SnapshotCorruptException refused = assertThrows(SnapshotCorruptException.class,
                () -> Snapshots.load(target, small), () -> "flipped a bit at offset " + at);
            assertEquals(small, refused.file());
            assertEquals(0, target.size(), "nothing loaded");
        }
    }

    @Test
    void shouldRefuseAMissingBlockEvenWithEveryChecksumRecomputed() throws IOException
    {
        final byte[] content = Files.readAllBytes(file);
        final int start = blocks.get(2);
        final int end = blocks.get(3);
        final byte[] withoutBlock2 = new byte[content.length - (end - start)];
        System.arraycopy(content, 0, withoutBlock2, 0, start);
        System.arraycopy(content, end, withoutBlock2, start, content.length - end);
        Files.write(file, reseal(withoutBlock2));
        assertRefused("block 2 records index 3 (a block is missing, repeated or out of order) at offset " + start);
    }

    @Test
    void shouldRefuseEntryLengthsThatDoNotFitTheirBlockEvenWithEveryChecksumRecomputed() throws IOException
    {
        final byte[] content = Files.readAllBytes(file);
        final int entry = blocks.get(1) + BLOCK_HEADER_LENGTH;
        final UnsafeBuffer buffer = new UnsafeBuffer(content);
        buffer.putInt(entry + ENTRY_VALUE_LENGTH_OFFSET, Integer.MAX_VALUE - 10, BYTE_ORDER);
        Files.write(file, reseal(content));
        assertRefused("block 1 entry 0 keyLength=" + buffer.getInt(entry + ENTRY_KEY_LENGTH_OFFSET, BYTE_ORDER) +
            " valueLength=" + (Integer.MAX_VALUE - 10) + " do not fit the block's payloadLength");
    }

    @Test
    void shouldRefuseANegativeKeyLengthEvenWithEveryChecksumRecomputed() throws IOException
    {
        final byte[] content = Files.readAllBytes(file);
        final int entry = blocks.get(0) + BLOCK_HEADER_LENGTH;
        new UnsafeBuffer(content).putInt(entry + ENTRY_KEY_LENGTH_OFFSET, -3, BYTE_ORDER);
        Files.write(file, reseal(content));
        assertRefused("block 0 entry 0 keyLength=-3");
    }

    @Test
    void shouldRefuseABlockLengthPastTheEndEvenWithEveryChecksumRecomputed() throws IOException
    {
        final byte[] content = Files.readAllBytes(file);
        new UnsafeBuffer(content).putInt(blocks.get(4) + BLOCK_PAYLOAD_LENGTH_OFFSET, Integer.MAX_VALUE, BYTE_ORDER);
        Files.write(file, reseal(content));
        assertRefused("block 4 payloadLength=" + Integer.MAX_VALUE + " runs past the trailer");
    }

    @Test
    void shouldRefuseAnEntryCountThatDoesNotMatchItsBlockEvenWithEveryChecksumRecomputed() throws IOException
    {
        final byte[] content = Files.readAllBytes(file);
        final UnsafeBuffer buffer = new UnsafeBuffer(content);
        final int countOffset = blocks.get(5) + BLOCK_ENTRY_COUNT_OFFSET;
        buffer.putInt(countOffset, buffer.getInt(countOffset, BYTE_ORDER) - 1, BYTE_ORDER);
        Files.write(file, reseal(content));
        assertRefused("bytes after its");
    }

    private void assertRefused(final String expectedInMessage)
    {
        final SnapshotCorruptException refused =
            assertThrows(SnapshotCorruptException.class, () -> Snapshots.load(target, file));
        assertTrue(refused.getMessage().contains(expectedInMessage),
            () -> "expected \"" + expectedInMessage + "\" in: " + refused.getMessage());
        assertEquals(0, target.size(), "nothing loaded");
        assertThrows(SnapshotCorruptException.class, () -> Snapshots.verify(file));
        assertTrue(Arrays.stream(refused.getStackTrace()).noneMatch(e -> e.getClassName().contains("Applier")),
            "refused before applying");
    }
}
