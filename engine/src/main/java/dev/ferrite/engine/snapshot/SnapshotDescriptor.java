package dev.ferrite.engine.snapshot;

import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Binary layout of a snapshot file, format version 1. Every integer is little-endian; every length
 * is in bytes; every checksum is CRC32C ({@link CRC32C}). A file is a header, zero or more blocks
 * of entries, and a trailer:
 *
 * <pre>
 *  +--------+---------+---------+-----+-------------+---------+
 *  | header | block 0 | block 1 | ... | block n - 1 | trailer |
 *  +--------+---------+---------+-----+-------------+---------+
 *  0        64                                      fileLength - 40
 * </pre>
 *
 * <h2>Header (64 bytes, at offset 0)</h2>
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 magic: ASCII "FERRSNAP"                       |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 format version (1)                            |  8
 *  +---------------------------------------------------------------+
 *  |                 header length (64)                            |  12
 *  +---------------------------------------------------------------+
 *  |                 flags (none defined: must be 0)               |  16
 *  +---------------------------------------------------------------+
 *  |                 block target bytes                            |  20
 *  +---------------------------------------------------------------+
 *  |                 created at, epoch millis of the store's clock |  24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 file length, trailer included                 |  32
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 entry count                                   |  40
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 block count                                   |  48
 *  +---------------------------------------------------------------+
 *  |                 largest key length in the file                |  52
 *  +---------------------------------------------------------------+
 *  |                 largest value length in the file              |  56
 *  +---------------------------------------------------------------+
 *  |                 CRC32C of header bytes [0, 60)                |  60
 *  +---------------------------------------------------------------+
 * </pre>
 * The writer fills the header last (after the trailer), so the counts are exact. The file length
 * detects any truncation or appended bytes before a block is read.
 *
 * <h2>Block (24-byte block header, then the payload)</h2>
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 block magic: ASCII "BLK1"                     |  0
 *  +---------------------------------------------------------------+
 *  |                 block index (0, 1, 2, ...)                    |  4
 *  +---------------------------------------------------------------+
 *  |                 payload length                                |  8
 *  +---------------------------------------------------------------+
 *  |                 entry count (at least 1)                      |  12
 *  +---------------------------------------------------------------+
 *  |                 CRC32C of the payload                         |  16
 *  +---------------------------------------------------------------+
 *  |                 CRC32C of block header bytes [0, 20)          |  20
 *  +---------------------------------------------------------------+
 *  |                 payload: entry count entries, back to back    |  24
 *  |                 ...                                           |
 *  +---------------------------------------------------------------+
 * </pre>
 * The header checksum lets a reader trust the lengths before reading the payload, so an oversized
 * but intact block is told apart from a corrupt one. A payload is at most the block target bytes,
 * unless it holds exactly one entry that is larger by itself.
 *
 * <h2>Entry (24 bytes, then key and value; not aligned)</h2>
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 key length                                    |  0
 *  +---------------------------------------------------------------+
 *  |                 value length                                  |  4
 *  +---------------------------------------------------------------+
 *  |                 version (positive)                            |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 expires at, epoch millis (0 = never)          |  16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 key bytes ...                                 |  24
 *  +---------------------------------------------------------------+
 *  |                 value bytes ...                               |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <h2>Trailer (40 bytes, at file length - 40)</h2>
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 trailer magic: ASCII "FERR_END"               |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 entry count                                   |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 bytes of all blocks (trailer offset - 64)     |  16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 block count                                   |  24
 *  +---------------------------------------------------------------+
 *  |                 chain: CRC32C over every block's header CRC   |  28
 *  +---------------------------------------------------------------+
 *  |                 reserved (0)                                  |  32
 *  +---------------------------------------------------------------+
 *  |                 CRC32C of trailer bytes [0, 36)               |  36
 *  +---------------------------------------------------------------+
 * </pre>
 * The chain (the header CRCs, each 4 bytes little-endian, in block order) ties every block to the
 * trailer, so a missing, repeated or reordered block is detected even where its own checksums hold.
 */
public final class SnapshotDescriptor
{
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

    /** "FERRSNAP" read as a little-endian long. */
    public static final long MAGIC = 0x50414E5352524546L;
    public static final int FORMAT_VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int FORMAT_VERSION_OFFSET = 8;
    public static final int HEADER_LENGTH_OFFSET = 12;
    public static final int FLAGS_OFFSET = 16;
    public static final int BLOCK_TARGET_BYTES_OFFSET = 20;
    public static final int CREATED_AT_OFFSET = 24;
    public static final int FILE_LENGTH_OFFSET = 32;
    public static final int ENTRY_COUNT_OFFSET = 40;
    public static final int BLOCK_COUNT_OFFSET = 48;
    public static final int LARGEST_KEY_LENGTH_OFFSET = 52;
    public static final int LARGEST_VALUE_LENGTH_OFFSET = 56;
    public static final int HEADER_CRC_OFFSET = 60;
    public static final int HEADER_LENGTH = 64;

    /** "BLK1" read as a little-endian int. */
    public static final int BLOCK_MAGIC = 0x314B4C42;
    public static final int BLOCK_MAGIC_OFFSET = 0;
    public static final int BLOCK_INDEX_OFFSET = 4;
    public static final int BLOCK_PAYLOAD_LENGTH_OFFSET = 8;
    public static final int BLOCK_ENTRY_COUNT_OFFSET = 12;
    public static final int BLOCK_PAYLOAD_CRC_OFFSET = 16;
    public static final int BLOCK_HEADER_CRC_OFFSET = 20;
    public static final int BLOCK_HEADER_LENGTH = 24;

    public static final int ENTRY_KEY_LENGTH_OFFSET = 0;
    public static final int ENTRY_VALUE_LENGTH_OFFSET = 4;
    public static final int ENTRY_VERSION_OFFSET = 8;
    public static final int ENTRY_EXPIRES_AT_OFFSET = 16;
    public static final int ENTRY_HEADER_LENGTH = 24;

    /** "FERR_END" read as a little-endian long. */
    public static final long TRAILER_MAGIC = 0x444E455F52524546L;
    public static final int TRAILER_MAGIC_OFFSET = 0;
    public static final int TRAILER_ENTRY_COUNT_OFFSET = 8;
    public static final int TRAILER_BLOCKS_BYTES_OFFSET = 16;
    public static final int TRAILER_BLOCK_COUNT_OFFSET = 24;
    public static final int TRAILER_CHAIN_CRC_OFFSET = 28;
    public static final int TRAILER_RESERVED_OFFSET = 32;
    public static final int TRAILER_CRC_OFFSET = 36;
    public static final int TRAILER_LENGTH = 40;

    /** Bounds on the block target a file may declare: they cap what a reader buffers per block. */
    public static final int MIN_BLOCK_TARGET_BYTES = 256;
    public static final int MAX_BLOCK_TARGET_BYTES = 64 << 20;

    private SnapshotDescriptor()
    {
    }

    /** CRC32C of {@code length} bytes of {@code bytes} from {@code offset}, as an int. */
    public static int crc32c(final CRC32C crc, final byte[] bytes, final int offset, final int length)
    {
        crc.reset();
        crc.update(bytes, offset, length);
        return (int)crc.getValue();
    }

    /** Feeds a block's header CRC into the trailer's chain, as 4 little-endian bytes. */
    public static void chain(final CRC32C chain, final int blockHeaderCrc)
    {
        chain.update(blockHeaderCrc & 0xFF);
        chain.update((blockHeaderCrc >>> 8) & 0xFF);
        chain.update((blockHeaderCrc >>> 16) & 0xFF);
        chain.update(blockHeaderCrc >>> 24);
    }
}
