package dev.ferrite.engine.snapshot;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.EntryMeta;
import dev.ferrite.engine.FerriteCache;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import static dev.ferrite.engine.snapshot.SnapshotDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/** Stores, expected contents and byte-level file surgery shared by the snapshot tests. */
final class SnapshotFixtures
{
    static final long START_MILLIS = 1_800_000_000_000L;

    private SnapshotFixtures()
    {
    }

    static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static CachedEpochClock clockAt(final long millis)
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(millis);
        return clock;
    }

    static FerriteCache cache(final CachedEpochClock clock, final long capacityBytes)
    {
        return FerriteCache.create(new CacheConfig().capacityBytes(capacityBytes).clock(clock).evictionEnabled(false));
    }

    /** A store whose segments hold the largest record (at 64 MiB the derived segments are 512 KiB, too small for a 1 MiB value). */
    static FerriteCache cacheForLargestValues(final CachedEpochClock clock, final long capacityBytes)
    {
        return FerriteCache.create(new CacheConfig().capacityBytes(capacityBytes).clock(clock).evictionEnabled(false)
            .segmentBytes(2 << 20));
    }

    /** What a key held in the source store. */
    record Expected(byte[] value, long version, long expiresAtMillis)
    {
    }

    /** Puts {@code count} entries with keys {@code prefix + i} and values of {@code valueLength} bytes. */
    static Map<String, Expected> fill(
        final FerriteCache cache, final String prefix, final int count, final int valueLength, final long expiresAtMillis)
    {
        final Map<String, Expected> expected = new LinkedHashMap<>();
        for (int i = 0; i < count; i++)
        {
            final String key = prefix + i;
            final byte[] value = new byte[valueLength];
            Arrays.fill(value, (byte)i);
            expected.put(key, new Expected(value, cache.put(bytes(key), value, expiresAtMillis), expiresAtMillis));
        }
        return expected;
    }

    /** Asserts the store holds exactly {@code expected}, values, versions and expiry included. */
    static void assertHolds(final FerriteCache cache, final Map<String, Expected> expected)
    {
        assertEquals(expected.size(), cache.size(), "entries");
        final EntryMeta meta = new EntryMeta();
        for (final Map.Entry<String, Expected> entry : expected.entrySet())
        {
            final byte[] value = cache.get(bytes(entry.getKey()), meta);
            assertNotNull(value, entry.getKey());
            assertArrayEquals(entry.getValue().value(), value, entry.getKey());
            assertEquals(entry.getValue().version(), meta.version(), entry.getKey());
            assertEquals(entry.getValue().expiresAtMillis(), meta.expiresAtMillis(), entry.getKey());
        }
    }

    static void flipByte(final Path file, final long offset) throws IOException
    {
        final byte[] content = Files.readAllBytes(file);
        content[(int)offset] ^= 0x5A;
        Files.write(file, content);
    }

    static void truncate(final Path file, final long length) throws IOException
    {
        final byte[] content = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(content, (int)length));
    }

    /** File offsets of the blocks, found by walking their headers. */
    static List<Integer> blockOffsets(final byte[] content)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(content);
        final List<Integer> offsets = new ArrayList<>();
        int offset = HEADER_LENGTH;
        while (offset < content.length - TRAILER_LENGTH)
        {
            offsets.add(offset);
            offset += BLOCK_HEADER_LENGTH + buffer.getInt(offset + BLOCK_PAYLOAD_LENGTH_OFFSET, BYTE_ORDER);
        }
        return offsets;
    }

    static List<Integer> blockOffsets(final Path file) throws IOException
    {
        return blockOffsets(Files.readAllBytes(file));
    }

    /**
     * Recomputes every checksum (blocks as far as their lengths can be walked, chain, trailer and
     * header) and the header's and trailer's lengths, as a forger would after editing the file:
     * what is left to catch the edit is the structural checks alone.
     */
    static byte[] reseal(final byte[] content)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(content);
        final CRC32C crc = new CRC32C();
        final CRC32C chain = new CRC32C();
        final int trailerOffset = content.length - TRAILER_LENGTH;
        int offset = HEADER_LENGTH;
        int blocks = 0;
        while (offset + BLOCK_HEADER_LENGTH <= trailerOffset)
        {
            final int payloadLength = buffer.getInt(offset + BLOCK_PAYLOAD_LENGTH_OFFSET, BYTE_ORDER);
            final boolean walkable = payloadLength >= 0 && payloadLength <= trailerOffset - offset - BLOCK_HEADER_LENGTH;
            if (walkable)
            {
                buffer.putInt(offset + BLOCK_PAYLOAD_CRC_OFFSET,
                    crc32c(crc, content, offset + BLOCK_HEADER_LENGTH, payloadLength), BYTE_ORDER);
            }
            final int headerCrc = crc32c(crc, content, offset, BLOCK_HEADER_CRC_OFFSET);
            buffer.putInt(offset + BLOCK_HEADER_CRC_OFFSET, headerCrc, BYTE_ORDER);
            chain(chain, headerCrc);
            blocks++;
            if (!walkable)
            {
                break;
            }
            offset += BLOCK_HEADER_LENGTH + payloadLength;
        }
        buffer.putLong(trailerOffset + TRAILER_BLOCKS_BYTES_OFFSET, trailerOffset - HEADER_LENGTH, BYTE_ORDER);
        buffer.putInt(trailerOffset + TRAILER_BLOCK_COUNT_OFFSET, blocks, BYTE_ORDER);
        buffer.putInt(trailerOffset + TRAILER_CHAIN_CRC_OFFSET, (int)chain.getValue(), BYTE_ORDER);
        buffer.putInt(trailerOffset + TRAILER_CRC_OFFSET, crc32c(crc, content, trailerOffset, TRAILER_CRC_OFFSET), BYTE_ORDER);
        buffer.putLong(FILE_LENGTH_OFFSET, content.length, BYTE_ORDER);
        buffer.putInt(BLOCK_COUNT_OFFSET, blocks, BYTE_ORDER);
        buffer.putInt(HEADER_CRC_OFFSET, crc32c(crc, content, 0, HEADER_CRC_OFFSET), BYTE_ORDER);
        return content;
    }

    static boolean isLinux()
    {
        return Files.isReadable(Path.of("/proc/self/maps"));
    }

    /** Lines of /proc/self/maps and targets of /proc/self/fd that name {@code file}. */
    static List<String> mappingsAndHandlesOf(final Path file) throws IOException
    {
        final String name = file.toAbsolutePath().toString();
        final List<String> found = new ArrayList<>();
        for (final String line : Files.readAllLines(Path.of("/proc/self/maps")))
        {
            if (line.contains(name))
            {
                found.add("mapped: " + line);
            }
        }
        try (var fds = Files.list(Path.of("/proc/self/fd")))
        {
            for (final Path fd : (Iterable<Path>)fds::iterator)
            {
                try
                {
                    if (Files.readSymbolicLink(fd).toString().startsWith(name))
                    {
                        found.add("open: " + fd);
                    }
                }
                catch (final IOException ignored)
                {
                    // the fd of the directory listing itself may be gone already
                }
            }
        }
        return found;
    }
}
