package dev.ferrite.engine.core;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.log.SegmentLog;
import dev.ferrite.engine.log.SegmentTable;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static dev.ferrite.engine.log.RecordDescriptor.coveredLength;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reclaimer descheduled while it holds a record of the oldest segment (it claimed the record on
 * the segment's cursor and never came back) must not stop other threads' writes. Played here
 * deterministically: the test claims the head segment's first record as a helper would and then
 * never processes it. Before the finisher settled such records in the helper's place, every write
 * that needed that segment yielded for 20 ms and then failed with FULL, forever.
 */
class StalledReclaimerTest
{
    private static final int KEYS = 3_000;

    @Test
    void shouldKeepWritingAndCountingWhileAReclaimerHoldsARecordForever()
    {
        try (Store store = new Store(new CacheConfig().capacityBytes(128 << 10).segmentBytes(4096)))
        {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[100]);
            LogFill.fillUntilTheLogWraps(store, key, value, KEYS);

            claimFirstRecordOfHeadAndStall(store.log);
            final long evictionsBefore = store.stats().evictions();
            for (int i = KEYS; i < 4 * KEYS; i++)
            {
                final long outcome = LogFill.put(store, key, value, i);
                assertTrue(outcome > 0, "put " + i + " answered " + outcome + " with a reclaimer stalled: " + store.stats());
            }
            assertTrue(store.stats().evictions() > evictionsBefore + KEYS, "reclaim went on past the stalled record: " + store.stats());

            final long exact = ExactEntryCount.of(store);
            final long counted = store.entryCount();
            // The stalled record was settled (counted) by a finisher: nothing lost without a count.
            assertTrue(counted <= exact && counted >= exact - 8, () -> "entries=" + counted + " but " + exact + " are reachable");
        }
    }

    @Test
    void shouldKeepWritingWhileASettlerIsDescheduledMidCopy()
    {
        try (Store store = new Store(new CacheConfig().capacityBytes(128 << 10).segmentBytes(4096)))
        {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[100]);
            LogFill.fillUntilTheLogWraps(store, key, value, KEYS);
            // A helper that claimed the first record, settled it (flag and settling count) and was
            // descheduled while copying it: the finisher gives it a bounded moment, then goes on.
            final SegmentLog log = store.log;
            final long head = log.headSegment();
            claimFirstRecordOfHeadAndStall(log);
            final UnsafeBuffer segment = log.buffer(head);
            segment.putLongVolatile(0, segment.getLong(0) | dev.ferrite.engine.log.RecordDescriptor.SETTLED_BIT);
            log.table().addSettling(log.physical(head), head, 1);

            for (int i = KEYS; i < 2 * KEYS; i++)
            {
                final long outcome = LogFill.put(store, key, value, i);
                assertTrue(outcome > 0, "put " + i + " answered " + outcome + " with a settler stalled: " + store.stats());
            }
            assertTrue(log.headSegment() > head + log.segmentCount(), "the log went round past the stalled settler's segment");
        }
    }

    /** What a helper does before it processes a record: RECLAIMING, then the cursor moved past the record. */
    private static void claimFirstRecordOfHeadAndStall(final SegmentLog log)
    {
        final long head = log.headSegment();
        final int physical = log.physical(head);
        final SegmentTable table = log.table();
        assertEquals(SegmentTable.state(head, SegmentTable.PHASE_OPEN), table.stateAcquire(physical));
        assertTrue(table.stateCompareAndSet(
            physical, SegmentTable.state(head, SegmentTable.PHASE_OPEN), SegmentTable.state(head, SegmentTable.PHASE_RECLAIMING)));
        final long tag = (head & 0xFFFF_FFFFL) << 32;
        final int firstRecordCovers = coveredLength(log.buffer(head).getLong(0));
        assertTrue(table.cursorCompareAndSet(physical, table.cursorVolatile(physical), tag | firstRecordCovers));
    }
}
