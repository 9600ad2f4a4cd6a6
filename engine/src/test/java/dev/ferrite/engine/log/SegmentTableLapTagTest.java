package dev.ferrite.engine.log;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The segment table's per-lap counters, played across lap changes and the wrap of their tags.
 *
 * <p>The settling count is tagged with its lap and compared by order: a late thread's hold for an
 * earlier lap must not restart a later lap's count. It was tagged with the low 32 bits of the segment
 * number, which wrap after 2^32 segments; from then on every new lap looked earlier than the last
 * ones before the wrap, and its holds were dropped for good (the finisher stopped waiting for
 * settlers). Played here across that boundary.
 */
class SegmentTableLapTagTest
{
    @Test
    void shouldCountSettlingAcrossTheThirtyTwoBitBoundary()
    {
        final SegmentTable table = new SegmentTable(new UnsafeBuffer(ByteBuffer.allocateDirect(8 * SegmentTable.ENTRY_LENGTH)), 8);
        final long beforeWrap = 0xFFFF_FFFBL; // physical 3 of 8
        final long afterWrap = 0x1_0000_0003L; // the same physical segment, one lap later
        table.addSettling(3, beforeWrap, 1);
        assertEquals(1, table.settlingVolatile(3, beforeWrap));

        table.addSettling(3, afterWrap, 1);
        assertEquals(1, table.settlingVolatile(3, afterWrap), "the new lap's hold counts");
        assertEquals(0, table.settlingVolatile(3, beforeWrap), "the old lap's count is over");
        table.addSettling(3, beforeWrap, -1);
        assertEquals(1, table.settlingVolatile(3, afterWrap), "a late decrement of the old lap is dropped");
        table.addSettling(3, beforeWrap, 1);
        assertEquals(1, table.settlingVolatile(3, afterWrap), "a late hold of the old lap does not restart the count");
        table.addSettling(3, afterWrap, 1);
        table.addSettling(3, afterWrap, -1);
        table.addSettling(3, afterWrap, -1);
        assertEquals(0, table.settlingVolatile(3, afterWrap));
        table.addSettling(3, afterWrap, -1);
        assertEquals(0, table.settlingVolatile(3, afterWrap), "never below zero");
    }

    @Test
    void shouldNotLetALateHelperOfAnEarlierLapRestartTheReclaimedBytes()
    {
        final SegmentTable table = new SegmentTable(new UnsafeBuffer(ByteBuffer.allocateDirect(8 * SegmentTable.ENTRY_LENGTH)), 8);
        final long earlier = 11L << 32; // logical segment 11, physical 3 of 8
        final long later = 19L << 32; // the same physical segment, one lap later
        table.addReclaimedBytes(3, earlier, 100);
        assertEquals(earlier | 100, table.reclaimedBytesVolatile(3));
        table.addReclaimedBytes(3, later, 40);
        assertEquals(later | 40, table.reclaimedBytesVolatile(3), "a new lap starts from zero");
        table.addReclaimedBytes(3, earlier, 60);
        assertEquals(later | 40, table.reclaimedBytesVolatile(3), "a late helper of the earlier lap adds nothing");
        table.addReclaimedBytes(3, later, 60);
        assertEquals(later | 100, table.reclaimedBytesVolatile(3));

        final long beforeWrap = 0xFFFF_FFFBL << 32;
        final long afterWrap = 0x0000_0003L << 32; // segment 2^32 + 3: its 32-bit tag wrapped
        table.addReclaimedBytes(5, beforeWrap, 8);
        table.addReclaimedBytes(5, afterWrap, 16);
        table.addReclaimedBytes(5, beforeWrap, 8);
        assertEquals(afterWrap | 16, table.reclaimedBytesVolatile(5), "ordered across the 32-bit wrap");
    }
}
