package dev.ferrite.engine.log;

/**
 * Binary layout of one record in a log segment. Records are immutable once published: an update
 * appends a new record and swings the index to it, so a reader never sees a record change under it
 * except when its whole segment is reclaimed, which readers detect by the segment's state word.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------+---------------------------+-+
 *  |      key length (17 bits)       | ~routing slot (14 bits)   |S|  word 0: written first, right
 *  +-------------------------------------------------------+-------+  after the space is allocated,
 *  |            value length (28 bits)                     | flags |  so a segment walk can always
 *  +-------------------------------------------------------+-------+  step over the record
 *  |                  previous record in chain (logical address)   |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  version                                      |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  expires at, epoch millis (0 = never)         |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  key bytes ...                                |
 *  +---------------------------------------------------------------+
 *  |                  value bytes ...            | padding to 8    |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Flags (4 bits): {@link #FLAG_TOMBSTONE} 1, {@link #FLAG_FILLER} 2, {@link #FLAG_REFERENCED} 4 and
 * {@link #FLAG_SETTLED} 8; the last two are set in place by CAS on word 0, all others are written once.
 * S is {@link #SUPERSEDED_BIT}, also set in place by CAS.
 *
 * <p>The routing slot is stored inverted so that no record's first word is 0: an empty key (routing
 * slot CRC16("") = 0) with an empty value would otherwise make one, and segment walks read a zero
 * first word as memory never written (the rest of the segment), which skipped that record and every
 * record behind it (never relocated: with eviction off, lost; with eviction on, never counted).
 *
 * <p>Why S: reclaim must know whether a record of the oldest segment is still its key's newest
 * version. Without S it walks the key's chain from the index, a cache miss on a foreign record
 * whenever another key's record sits above it (most of a put's cost at 80% live data). Every
 * operation that links a newer version of a key (put, remove, touch, relocation) sets S on the
 * version it replaces <em>before</em> its index CAS, and every record allocated and never linked
 * gets S when it is abandoned. So a record without S, read after an acquire load of its slot's head,
 * is its key's newest version among everything linked up to that head, and reclaim may copy it and
 * CAS it in over that head without the walk. S may also be set on a record that stays the newest (a
 * write, remove, touch or relocation whose CAS lost; a stale CAS on reused memory): S means only
 * "walk the chain to know".
 *
 *
 * A {@link #FLAG_FILLER} record covers the unused end of a segment: its value length is the
 * number of bytes it covers after its 8-byte first word, and it carries no other field.
 */
public final class RecordDescriptor
{
    public static final int LENGTHS_OFFSET = 0;
    public static final int PREVIOUS_OFFSET = 8;
    public static final int VERSION_OFFSET = 16;
    public static final int EXPIRES_AT_OFFSET = 24;
    public static final int HEADER_LENGTH = 32;

    public static final int ALIGNMENT = 8;
    public static final int FILLER_HEADER_LENGTH = 8;

    public static final int KEY_LENGTH_BITS = 17;
    public static final int MAX_KEY_LENGTH = (1 << KEY_LENGTH_BITS) - 1;
    public static final int VALUE_LENGTH_BITS = 28;
    public static final int MAX_VALUE_LENGTH = (1 << VALUE_LENGTH_BITS) - 1;

    public static final int FLAG_TOMBSTONE = 1;
    public static final int FLAG_FILLER = 2;
    /** Set by the first read that hits the record, cleared on relocation: CLOCK's reference bit. */
    public static final int FLAG_REFERENCED = 4;
    /** The referenced flag's bit in word 0. */
    public static final long REFERENCED_BIT = (long)FLAG_REFERENCED << (32 + 28);
    /**
     * Set once per lap by whichever thread settles the record while its segment is reclaimed (a
     * helper, or the finisher in place of a descheduled helper); that thread alone counts or relinks
     * it. Never set on a record outside a reclaiming segment; copies clear it.
     */
    public static final int FLAG_SETTLED = 8;
    /** The settled flag's bit in word 0. */
    public static final long SETTLED_BIT = (long)FLAG_SETTLED << (32 + 28);
    /**
     * Set before a newer version of the key is linked, or when a record is abandoned unlinked: the
     * record may not be its key's newest version (see the class note). Copies clear it.
     */
    public static final long SUPERSEDED_BIT = 1L << 31;
    /** The bits of word 0 that change in place; everything else is written once. */
    public static final long IN_PLACE_BITS = REFERENCED_BIT | SETTLED_BIT | SUPERSEDED_BIT;

    private static final int KEY_LENGTH_MASK = MAX_KEY_LENGTH;
    private static final int ROUTING_SLOT_MASK = 0x3FFF;
    private static final int VALUE_LENGTH_MASK = MAX_VALUE_LENGTH;

    private RecordDescriptor()
    {
    }

    /** Total bytes the record occupies in its segment, padding included. */
    public static int recordLength(final int keyLength, final int valueLength)
    {
        return align(HEADER_LENGTH + keyLength + valueLength);
    }

    public static int align(final int length)
    {
        return (length + (ALIGNMENT - 1)) & ~(ALIGNMENT - 1);
    }

    /** Packs word 0 of a record. */
    public static long lengthsWord(final int keyLength, final int routingSlot, final int valueLength, final int flags)
    {
        final long low = (keyLength & KEY_LENGTH_MASK) | ((long)(~routingSlot & ROUTING_SLOT_MASK) << KEY_LENGTH_BITS);
        final long high = (valueLength & VALUE_LENGTH_MASK) | ((long)(flags & 0xF) << VALUE_LENGTH_BITS);
        return (low & 0xFFFF_FFFFL) | (high << 32);
    }

    public static int keyLength(final long lengthsWord)
    {
        return (int)lengthsWord & KEY_LENGTH_MASK;
    }

    public static int routingSlot(final long lengthsWord)
    {
        return ~(int)(lengthsWord >>> KEY_LENGTH_BITS) & ROUTING_SLOT_MASK;
    }

    public static int valueLength(final long lengthsWord)
    {
        return (int)(lengthsWord >>> 32) & VALUE_LENGTH_MASK;
    }

    public static int flags(final long lengthsWord)
    {
        return (int)(lengthsWord >>> (32 + VALUE_LENGTH_BITS)) & 0xF;
    }

    /**
     * Bytes a record with this first word covers. Never less than 8, so a walk always advances,
     * even over garbage read from a segment that is being reused.
     */
    /**
     * Bytes from this record's first word to the next record's: always a multiple of
     * {@link #ALIGNMENT}, so a walk that steps by it reads whole words inside its segment, even over
     * a word that is not a record's (a segment reused under a descheduled reclaimer holds old bytes
     * where the new lap has not written yet, and a filler flag there came with any length: a walk
     * stepped to offset 4090 of a 4 KiB segment and its 8-byte read threw, in RandomizedModelTest).
     */
    public static int coveredLength(final long lengthsWord)
    {
        if ((flags(lengthsWord) & FLAG_FILLER) != 0)
        {
            return align(FILLER_HEADER_LENGTH + valueLength(lengthsWord));
        }
        return recordLength(keyLength(lengthsWord), valueLength(lengthsWord));
    }

    public static long fillerWord(final int coveredBytes)
    {
        return lengthsWord(0, 0, coveredBytes - FILLER_HEADER_LENGTH, FLAG_FILLER);
    }
}
