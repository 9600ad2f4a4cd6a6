package dev.ferrite.engine.log;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The settling count is tagged with its lap and compared by order: a late thread's hold for an
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
}
