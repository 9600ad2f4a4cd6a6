package dev.ferrite.engine.core;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.Status;
import dev.ferrite.engine.log.SegmentLog;
import dev.ferrite.engine.log.SegmentTable;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static dev.ferrite.engine.log.RecordDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
* A writer descheduled for a whole lap of the log after it allocated its record, played
* deterministically: the test allocates a record as put does, writes it, and never links it nor
* releases its registry slot, while the test thread writes on. Before the forced reclaim, every
* write that needed the stalled writer's segment yielded 20 ms and then failed with FULL, for as
* long as the writer stayed away. Now, with eviction on, the reclaim passes the writer, before or
* after its record's first word is written, and the writer's memory sits out each lap
* (quarantined) until it resumes.
*/
class StalledWriterTest
{
    private static final int KEYS = 3_000;
    private static final int VALUE_LENGTH = 100;
    private static final byte STALLED_VALUE_BYTE = (byte)0xAB;
    private static final byte[] KEY = "stalled-writer".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Test
    void shouldKeepWritingPastAWriterStalledWithItsHeaderWritten()
    {
        try (Store store = new Store(new CacheConfig().capacityBytes(128 << 10).segmentBytes(4096)))
        {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[VALUE_LENGTH]);
            LogFill.fillUntilTheLogWraps(store, key, value, KEYS);
            final SegmentLog log = store.log;

            try (StalledWriter writer = StalledWriter.allocate(store, true))
            {
                final long segment = log.logicalSegment(writer.record);
                for (int i = KEYS; i < 4 * KEYS; i++)
                {
                    final long outcome = LogFill.put(store, key, value, i);
                    assertTrue(outcome > 0, "put " + i + " answered " + outcome + " with a writer stalled: " + store.stats());
                }
                assertTrue(log.headSegment() > segment + 2L * log.segmentCount(),
                    "the log went round twice past the stalled writer's segment: head " + log.headSegment() + ", writer in " + segment);

                // Its memory was never handed to another record: quarantined lap after lap.
                assertTrue(writer.bytesIntact(), "the stalled writer's record was overwritten while it was away");
                final long state = log.table().stateAcquire(log.physical(segment));
                assertEquals(SegmentTable.PHASE_QUARANTINED, SegmentTable.phaseOf(state));
                // The pass flagged it superseded before walking, so the walk dropped it as never linked;
                // on resuming, the writer finds it passed and writes again instead of linking it.
                assertTrue((writer.buffer().getLong(writer.offset()) & SUPERSEDED_BIT) != 0, "flagged by the forced reclaim");
                assertFalse(store.linkable(writer.record));

                writer.abandonAndRelease();
                final long afterResume = log.headSegment();
                for (int i = 4 * KEYS; i < 6 * KEYS; i++)
                {
                    assertTrue(LogFill.put(store, key, value, i) > 0);
                }
                assertTrue(log.headSegment() > afterResume + log.segmentCount(), "the log went round once more");
                assertTrue(SegmentTable.phaseOf(log.table().stateAcquire(log.physical(segment))) != SegmentTable.PHASE_QUARANTINED,
                    "the quarantine ended once the writer left");
                assertPresent(store, key, 6 * KEYS - 1);
                assertEntriesCounted(store);
            }
        }
    }

    @Test
    void shouldKeepOrCountARecordItsStalledWriterLinkedBeforeThePass()
    {
        // Stalled after its index CAS and its bookkeeping, before leaving: the record is live, so the
        // forced reclaim must treat it as any live record (kept, or evicted and counted), not drop it.
        try (Store store = new Store(new CacheConfig().capacityBytes(128 << 10).segmentBytes(4096)))
        {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[VALUE_LENGTH]);
            LogFill.fillUntilTheLogWraps(store, key, value, KEYS);
            final SegmentLog log = store.log;
            try (StalledWriter writer = StalledWriter.allocate(store, true))
            {
                writer.link();
                final UnsafeBuffer read = new UnsafeBuffer(new byte[VALUE_LENGTH]);
                assertEquals(VALUE_LENGTH, store.get(writer.key(), 0, writer.keyLength, read, 0, null));
                final long segment = log.logicalSegment(writer.record);
                final long evictionsBefore = store.stats().evictions();
                for (int i = KEYS; log.headSegment() <= segment + log.segmentCount(); i++)
                {
                    assertTrue(LogFill.put(store, key, value, i) > 0, "put " + i);
                }
                final int found = store.get(writer.key(), 0, writer.keyLength, read, 0, null);
                if (found == VALUE_LENGTH)
                {
                    assertEquals(STALLED_VALUE_BYTE, read.getByte(0), "kept with its value");
                }
                else
                {
                    assertEquals(Status.MISS, found);
                    assertTrue(store.stats().evictions() > evictionsBefore, "evicted, and counted");
                }
                assertEntriesCounted(store);
            }
        }
    }

    @Test
    void shouldKeepWritingPastAWriterStalledBeforeWritingItsHeader()
    {
        // Stalled between its tail CAS and its first word: a walk cannot step over its record, so the
        // forced reclaim walks up to it and finds the records behind it through the index. Before, a
        // write that needed that segment failed with FULL for as long as the writer stayed away.
        try (Store store = new Store(new CacheConfig().capacityBytes(128 << 10).segmentBytes(4096)))
        {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[VALUE_LENGTH]);
            LogFill.fillUntilTheLogWraps(store, key, value, KEYS);
            final SegmentLog log = store.log;
            // Early in a segment, so that most of it lies behind the record the walk cannot pass.
            int next = KEYS;
            while (log.offset(log.tail()) > 512)
            {
                assertTrue(putNumbered(store, key, value, next++) > 0);
            }

            try (StalledWriter writer = StalledWriter.allocate(store, false))
            {
                final long segment = log.logicalSegment(writer.record);
                assertTrue(log.offset(writer.record) <= 512, "early in its segment: " + log.offset(writer.record));
                writeAroundTheStall(store, key, value, next, segment);

                assertTrue(writer.valueIntact(), "the stalled writer's record was overwritten while it was away");
                assertEquals(SegmentTable.PHASE_QUARANTINED, SegmentTable.phaseOf(log.table().stateAcquire(log.physical(segment))));
                // Resuming, it writes its first word into memory nobody reused, then finds its record passed.
                writer.writeHeader();
                assertFalse(store.linkable(writer.record));
                writer.abandonAndRelease();
                assertQuarantineEnds(store, key, value, next + 3 * KEYS, segment);
            }
        }
    }

    @Test
    void shouldKeepWritingPastAWriterStalledAfterMovingTheTailOn()
    {
        // Its allocation did not fit the rest of the segment, so its CAS moved the tail to the next
        // one: its record starts there, at offset 0, and its announced address is the filler ending
        // the segment it left. Both segments must be walked only up to the writer, and both kept
        // from reuse while it is away.
        try (Store store = new Store(new CacheConfig().capacityBytes(128 << 10).segmentBytes(4096)))
        {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[VALUE_LENGTH]);
            LogFill.fillUntilTheLogWraps(store, key, value, KEYS);
            final SegmentLog log = store.log;
            final int stalledLength = recordLength(KEY.length, VALUE_LENGTH);
            int next = KEYS;
            while (log.offset(log.tail()) + stalledLength < log.segmentBytes())
            {
                assertTrue(putNumbered(store, key, value, next++) > 0);
            }
            final long leftSegment = log.logicalSegment(log.tail());

            try (StalledWriter writer = StalledWriter.allocate(store, false))
            {
                final long segment = log.logicalSegment(writer.record);
                assertEquals(0, log.offset(writer.record), "the record starts the next segment");
                assertTrue(segment > leftSegment);
                writeAroundTheStall(store, key, value, next, segment);

                assertTrue(writer.valueIntact(), "the stalled writer's record was overwritten while it was away");
                assertEquals(SegmentTable.PHASE_QUARANTINED, SegmentTable.phaseOf(log.table().stateAcquire(log.physical(segment))));
                assertEquals(SegmentTable.PHASE_QUARANTINED, SegmentTable.phaseOf(log.table().stateAcquire(log.physical(leftSegment))),
                    "the segment whose filler it may still write");
                writer.writeHeader();
                assertFalse(store.linkable(writer.record));
                writer.abandonAndRelease();
                assertQuarantineEnds(store, key, value, next + 3 * KEYS, segment);
            }
        }
    }

    /** Puts keys numbered from {@code first} on, each value holding its number, until the log has gone round twice past {@code segment}. */
    private static void writeAroundTheStall(
        final Store store, final UnsafeBuffer key, final UnsafeBuffer value, final int first, final long segment)
    {
        final SegmentLog log = store.log;
        final long evictionsBefore = store.stats().evictions();
        for (int i = first; i < first + 3 * KEYS; i++)
        {
            final long outcome = putNumbered(store, key, value, i);
            assertTrue(outcome > 0, "put " + i + " answered " + outcome + " with a writer stalled: " + store.stats());
        }
        assertTrue(log.headSegment() > segment + 2L * log.segmentCount(),
            "the log went round twice past the stalled writer's segment: head " + log.headSegment() + ", writer in " + segment);
        assertTrue(store.stats().evictions() > evictionsBefore);
        assertEntriesCounted(store); // the records behind the writer were counted as they went
        assertValuesIntact(store, key, first + 3 * KEYS);
    }

    private static void assertQuarantineEnds(
        final Store store, final UnsafeBuffer key, final UnsafeBuffer value, final int first, final long segment)
    {
        final SegmentLog log = store.log;
        final long afterResume = log.headSegment();
        for (int i = first; i < first + 2 * KEYS; i++)
        {
            assertTrue(putNumbered(store, key, value, i) > 0);
        }
        assertTrue(log.headSegment() > afterResume + log.segmentCount(), "the log went round once more");
        assertTrue(SegmentTable.phaseOf(log.table().stateAcquire(log.physical(segment))) != SegmentTable.PHASE_QUARANTINED,
            "the quarantine ended once the writer left");
        assertPresent(store, key, first + 2 * KEYS - 1);
        assertEntriesCounted(store);
        assertValuesIntact(store, key, first + 2 * KEYS);
    }

    private static long putNumbered(final Store store, final UnsafeBuffer key, final UnsafeBuffer value, final int i)
    {
        value.putInt(0, i);
        value.putInt(VALUE_LENGTH - 4, ~i);
        return LogFill.put(store, key, value, i);
    }

    /** Every key below {@code keys} still readable holds the value it was last given (no torn or misplaced bytes). */
    private static void assertValuesIntact(final Store store, final UnsafeBuffer key, final int keys)
    {
        final UnsafeBuffer read = new UnsafeBuffer(new byte[VALUE_LENGTH]);
        int readable = 0;
        for (int i = 0; i < keys; i++)
        {
            final int keyLength = key.putStringWithoutLengthAscii(0, "key:" + i);
            final int found = store.get(key, 0, keyLength, read, 0, null);
            if (found == Status.MISS)
            {
                continue;
            }
            assertEquals(VALUE_LENGTH, found, "key " + i);
            // Keys written by LogFill before the stall hold zeros; numbered ones their number.
            final int number = read.getInt(0);
            if (number != 0 || read.getInt(VALUE_LENGTH - 4) != 0)
            {
                assertEquals(i, number, "key " + i + " holds another key's value");
                assertEquals(~i, read.getInt(VALUE_LENGTH - 4), "key " + i + " holds a torn value");
            }
            readable++;
        }
        assertTrue(readable > 0);
    }

    @Test
    void shouldPassAStalledWriterWithEvictionOffAndKeepTheRecordItLinksLate()
    {
        // Its link check came before the pass flagged its record, its index CAS after the walk: the
        // segment stays deferred (its records readable) instead of being reused, and a later lap
        // relocates the record. Before, eviction off never forced: writes failed with FULL.
        assertEvictionOffLosesNothing(true);
    }

    @Test
    void shouldPassAWriterStalledBeforeItsHeaderWithEvictionOffAndKeepItsRecord()
    {
        // Not flagged (the pass cannot see a record without its first word), so on resuming it finds
        // its record linkable in the deferred segment and links it.
        assertEvictionOffLosesNothing(false);
    }

    @Test
    void shouldNotLinkARecordWhoseSegmentLeftOpen()
    {
        // A writer back from a lap-long stall finds its segment reclaiming (or deferred): whatever
        // the walk decided about its record, it may already be past it, so the writer writes again.
        try (Store store = new Store(new CacheConfig().capacityBytes(128 << 10).segmentBytes(4096)))
        {
            try (StalledWriter writer = StalledWriter.allocate(store, true))
            {
                final SegmentLog log = store.log;
                final long segment = log.logicalSegment(writer.record);
                final int physical = log.physical(segment);
                assertTrue(store.linkable(writer.record));
                for (final long phase : new long[] {SegmentTable.PHASE_RECLAIMING, SegmentTable.PHASE_DEFERRED})
                {
                    assertTrue(log.table().stateCompareAndSet(physical, SegmentTable.state(segment, SegmentTable.PHASE_OPEN),
                        SegmentTable.state(segment, phase)));
                    assertFalse(store.linkable(writer.record), "phase " + phase);
                    assertTrue(log.table().stateCompareAndSet(physical, SegmentTable.state(segment, phase),
                        SegmentTable.state(segment, SegmentTable.PHASE_OPEN)));
                }
                assertTrue(store.linkable(writer.record));
            }
        }
    }

    @Test
    void shouldNotReopenADeferredSegmentForALapThatIsPast()
    {
        // A thread read the head and the deferred state, was descheduled while the head went round
        // twice more (the writer still there), and came back after the writer left: opening the
        // segment for the lap after its stale head would stop the tail there for good.
        final int keys = 200;
        try (Store store = new Store(new CacheConfig().capacityBytes(128 << 10).segmentBytes(4096).evictionEnabled(false)))
        {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[VALUE_LENGTH]);
            final int[] latest = putEach(store, key, value, keys);
            final SegmentLog log = store.log;
            final long segment;
            final long deferredState;
            try (StalledWriter writer = StalledWriter.allocate(store, true))
            {
                segment = log.logicalSegment(writer.record);
                int round = 1;
                for (; log.headSegment() <= segment + 2L * log.segmentCount(); round++)
                {
                    overwriteAll(store, key, value, latest, round, Long.MAX_VALUE);
                }
                deferredState = log.table().stateAcquire(log.physical(segment));
                assertEquals(SegmentTable.state(segment, SegmentTable.PHASE_DEFERRED), deferredState, "deferred while the writer stays");
            }
            final int slot = store.registry.claim(3);
            try
            {
                store.reclaimer.reclaimDeferred(slot, segment + log.segmentCount(), deferredState);
            }
            finally
            {
                store.registry.release(slot);
            }
            assertEquals(deferredState, log.table().stateAcquire(log.physical(segment)), "a stale head changes nothing");
            final long before = log.headSegment();
            for (int round = 2_000; log.headSegment() <= before + 2L * log.segmentCount(); round++)
            {
                overwriteAll(store, key, value, latest, round - 1_500, Long.MAX_VALUE);
            }
            assertTrue(SegmentTable.phaseOf(log.table().stateAcquire(log.physical(segment))) != SegmentTable.PHASE_DEFERRED,
                "reopened by the head's own visit once the writer left");
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void shouldFenceTheIndexCasOfAWriterPassedAfterItsLinkCheck(final boolean evictionEnabled)
    {
        // Stalled between its link check (passed: its segment was OPEN) and its index CAS, as put
        // announces LINKING before that check. The forced reclaim that passes its record fences its
        // slot first, so the CAS fails when the writer resumes, whatever the walk decided about the
        // record. Before fences it succeeded: with eviction on the value then read as evicted at once
        // (entries one too high), with eviction off only the late-link relocation saved it.
        final int keys = 200;
        try (Store store = new Store(
            new CacheConfig().capacityBytes(128 << 10).segmentBytes(4096).evictionEnabled(evictionEnabled)))
        {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[VALUE_LENGTH]);
            final int[] latest = putEach(store, key, value, keys);
            final SegmentLog log = store.log;
            try (StalledWriter writer = StalledWriter.allocate(store, true, keyInAChainOfItsOwn(store, key, keys)))
            {
                final long segment = log.logicalSegment(writer.record);
                final int slot = store.index.slotFor(store.hash(writer.key(), 0, writer.keyLength));
                final long head = writer.checkedToLink();

                int round = 1;
                for (; log.headSegment() <= segment; round++)
                {
                    overwriteAll(store, key, value, latest, round, segment);
                }
                assertTrue(store.index.headAcquire(slot) != head, "the pass moved the head of the stalled writer's slot");
                assertFalse(store.index.compareAndSetHead(slot, head, writer.record), "the late index CAS fails");
                writer.abandonAndRelease();

                final UnsafeBuffer read = new UnsafeBuffer(new byte[VALUE_LENGTH]);
                assertEquals(Status.MISS, store.get(writer.key(), 0, writer.keyLength, read, 0, null), "never linked");
                final long afterPass = log.headSegment();
                for (; log.headSegment() <= afterPass + 2L * log.segmentCount(); round++)
                {
                    overwriteAll(store, key, value, latest, round, Long.MAX_VALUE);
                }
                assertEachHoldsItsLatest(store, key, latest, evictionEnabled);
                assertEquals(Status.MISS, store.get(writer.key(), 0, writer.keyLength, read, 0, null), "the fence is no entry");
                assertEntriesCounted(store);
            }
        }
    }

    @Test
    void shouldReopenADeferredSegmentAheadOfTheTailOnceItsWriterHasGone()
    {
        // A write that finds no room, and compaction unable to make any, opens the deferred segments
        // in front of the tail whose writers have gone, without waiting for the head to come round:
        // the head may never get there, since compacting the next segment needs the very room the
        // deferred segments and their copies took (the stalled-threads model test saw the log stay
        // FULL for good).
        final int keys = 200;
        try (Store store = new Store(new CacheConfig().capacityBytes(128 << 10).segmentBytes(4096).evictionEnabled(false)))
        {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[VALUE_LENGTH]);
            final int[] latest = putEach(store, key, value, keys);
            final SegmentLog log = store.log;
            final long segment;
            int round = 1;
            try (StalledWriter writer = StalledWriter.allocate(store, true))
            {
                segment = log.logicalSegment(writer.record);
                for (; log.headSegment() <= segment; round++)
                {
                    overwriteAll(store, key, value, latest, round, segment);
                }
                assertEquals(SegmentTable.state(segment, SegmentTable.PHASE_DEFERRED), log.table().stateAcquire(log.physical(segment)));
                final int slot = store.registry.claim(3);
                try
                {
                    assertFalse(store.reclaimer.reopenDeferredAhead(slot), "not while its writer may still write there");
                }
                finally
                {
                    store.registry.release(slot);
                }
            }
            final long position = segment + log.segmentCount();
            assertTrue(log.logicalSegment(log.tail()) < position, "the deferred segment lies ahead of the tail");
            final int slot = store.registry.claim(3);
            try
            {
                assertTrue(store.reclaimer.reopenDeferredAhead(slot), "opened once its writer left");
            }
            finally
            {
                store.registry.release(slot);
            }
            assertEquals(SegmentTable.state(position, SegmentTable.PHASE_OPEN), log.table().stateAcquire(log.physical(segment)),
                "open for the tail's coming lap");
            assertEquals(0, log.table().setAsideSegments(), "no segment set aside any more");

            final long before = log.headSegment();
            for (; log.headSegment() <= before + 2L * log.segmentCount(); round++)
            {
                overwriteAll(store, key, value, latest, round, Long.MAX_VALUE);
            }
            final UnsafeBuffer read = new UnsafeBuffer(new byte[VALUE_LENGTH]);
            assertEachHoldsItsLatest(store, key, latest, false);
        }
    }

    private static void assertEvictionOffLosesNothing(final boolean headerWritten)
    {
        final int keys = 200;
        try (Store store = new Store(new CacheConfig().capacityBytes(128 << 10).segmentBytes(4096).evictionEnabled(false)))
        {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[VALUE_LENGTH]);
            final int[] latest = putEach(store, key, value, keys);
            final SegmentLog log = store.log;
            try (StalledWriter writer = StalledWriter.allocate(store, headerWritten, keyInAChainOfItsOwn(store, key, keys)))
            {
                final long segment = log.logicalSegment(writer.record);
                int round = 1;
                // Stop right after the pass: the tail is then still below the deferred segment's next
                // lap, so keys written now land in a segment reclaimed before the head comes round.
                for (; log.headSegment() <= segment; round++)
                {
                    overwriteAll(store, key, value, latest, round, segment);
                }
                assertEquals(SegmentTable.PHASE_DEFERRED, SegmentTable.phaseOf(log.table().stateAcquire(log.physical(segment))));
                final UnsafeBuffer read = new UnsafeBuffer(new byte[VALUE_LENGTH]);
                if (headerWritten)
                {
                    writer.linkLate();
                    writer.release();
                }
                else
                {
                    // Passed before its first word: its link check comes after the segment left OPEN,
                    // so it writes again at the tail, as put does.
                    writer.writeHeader();
                    assertFalse(store.linkable(writer.record));
                    writer.abandonAndRelease();
                    final UnsafeBuffer again = new UnsafeBuffer(new byte[VALUE_LENGTH]);
                    again.setMemory(0, VALUE_LENGTH, STALLED_VALUE_BYTE);
                    assertTrue(store.put(writer.key(), 0, writer.keyLength, again, 0, VALUE_LENGTH, 0, Store.PUT_ALWAYS, 0, null) > 0);
                }
                assertEquals(VALUE_LENGTH, store.get(writer.key(), 0, writer.keyLength, read, 0, null), "readable once linked");
                // Two more keys in its chain, above it: once their segment is reclaimed, a chain still
                // running through the deferred segment would be cut above the late record.
                final byte[][] sharers = keysSharingTheSlotOf(store, writer.key(), writer.keyLength, 2);
                for (final byte[] sharer : sharers)
                {
                    assertTrue(store.put(new UnsafeBuffer(sharer), 0, sharer.length, value, 0, VALUE_LENGTH, 0, Store.PUT_ALWAYS, 0, null) > 0);
                }

                final long afterLink = log.headSegment();
                for (; log.headSegment() <= afterLink + 2L * log.segmentCount(); round++)
                {
                    overwriteAll(store, key, value, latest, round, Long.MAX_VALUE);
                }
                assertTrue(SegmentTable.phaseOf(log.table().stateAcquire(log.physical(segment))) != SegmentTable.PHASE_DEFERRED,
                    "relocated and reopened once the writer left");
                assertEquals(VALUE_LENGTH, store.get(writer.key(), 0, writer.keyLength, read, 0, null), "the late record was relocated");
                assertEquals(STALLED_VALUE_BYTE, read.getByte(0));
                assertEachHoldsItsLatest(store, key, latest, false);
                for (final byte[] sharer : sharers)
                {
                    assertEquals(VALUE_LENGTH, store.get(new UnsafeBuffer(sharer), 0, sharer.length, read, 0, null), "a key sharing its chain");
                }
                assertEquals(keys + 3, ExactEntryCount.of(store));
                assertEquals(keys + 3, store.entryCount());
            }
        }
    }

    /** A 14-byte key whose index slot none of the numbered keys below {@code keys} shares, so its chain head stays older than a stalled record. */
    private static byte[] keyInAChainOfItsOwn(final Store store, final UnsafeBuffer key, final int keys)
    {
        final java.util.Set<Integer> taken = new java.util.HashSet<>();
        for (int i = 0; i < keys; i++)
        {
            final int keyLength = key.putStringWithoutLengthAscii(0, "key:" + i);
            taken.add(store.index.slotFor(store.hash(key, 0, keyLength)));
        }
        for (int c = 0; ; c++)
        {
            final byte[] candidate = String.format("stalled-w-%04d", c).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            if (!taken.contains(store.index.slotFor(store.hash(new UnsafeBuffer(candidate), 0, candidate.length))))
            {
                return candidate;
            }
        }
    }

    private static byte[][] keysSharingTheSlotOf(final Store store, final UnsafeBuffer key, final int keyLength, final int count)
    {
        final int slot = store.index.slotFor(store.hash(key, 0, keyLength));
        final byte[][] found = new byte[count][];
        for (int c = 0, n = 0; n < count; c++)
        {
            final byte[] candidate = ("sharer-" + c).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            if (store.index.slotFor(store.hash(new UnsafeBuffer(candidate), 0, candidate.length)) == slot)
            {
                found[n++] = candidate;
            }
        }
        return found;
    }

    /** Overwrites every key, or stops early once the head has passed {@code stopPastHead}. */
    /** Writes keys {@code "key:0"} up to {@code keys}, each with its number. @return each key's number. */
    private static int[] putEach(final Store store, final UnsafeBuffer key, final UnsafeBuffer value, final int keys)
    {
        final int[] latest = new int[keys];
        for (int i = 0; i < keys; i++)
        {
            assertTrue(putNumbered(store, key, value, i) > 0);
            latest[i] = i;
        }
        return latest;
    }

    /** Every key reads its last value, whole; with {@code mayBeEvicted}, or is missing. */
    private static void assertEachHoldsItsLatest(
        final Store store, final UnsafeBuffer key, final int[] latest, final boolean mayBeEvicted)
    {
        final UnsafeBuffer read = new UnsafeBuffer(new byte[VALUE_LENGTH]);
        for (int i = 0; i < latest.length; i++)
        {
            final int keyLength = key.putStringWithoutLengthAscii(0, "key:" + i);
            final int length = store.get(key, 0, keyLength, read, 0, null);
            if (length == Status.MISS && mayBeEvicted)
            {
                continue;
            }
            assertEquals(VALUE_LENGTH, length, "key " + i + " lost");
            assertEquals(latest[i], read.getInt(0), "key " + i + " holds its last value");
            assertEquals(~latest[i], read.getInt(VALUE_LENGTH - 4), "key " + i + " torn");
        }
    }

    private static void overwriteAll(
        final Store store, final UnsafeBuffer key, final UnsafeBuffer value, final int[] latest, final int round,
        final long stopPastHead)
    {
        assertTrue(round < 1_000, "the log kept going round");
        for (int i = 0; i < latest.length && store.log.headSegment() <= stopPastHead; i++)
        {
            final int number = round * latest.length + i;
            value.putInt(0, number);
            value.putInt(VALUE_LENGTH - 4, ~number);
            final int keyLength = key.putStringWithoutLengthAscii(0, "key:" + i);
            final long outcome = store.put(key, 0, keyLength, value, 0, value.capacity(), 0, Store.PUT_ALWAYS, 0, null);
            assertTrue(outcome > 0, "put answered " + outcome + " with a writer stalled: " + store.stats());
            latest[i] = number;
        }
    }

    /** A write that allocated its record and was then descheduled: it holds its registry slot. */
    private static final class StalledWriter implements AutoCloseable
    {
        private boolean released;
        private boolean linked;
        private final Store store;
        private final int slot;
        private final long record;
        private final long lengths;
        private final int keyLength;

        private final byte[] keyBytes;

        private StalledWriter(
            final Store store, final int slot, final long record, final long lengths, final byte[] keyBytes)
        {
            this.keyBytes = keyBytes;
            this.keyLength = keyBytes.length;
            this.store = store;
            this.slot = slot;
            this.record = record;
            this.lengths = lengths;
        }

        /** As put does up to its index CAS; with {@code headerWritten} false it stops right after the tail CAS. */
        static StalledWriter allocate(final Store store, final boolean headerWritten)
        {
            return allocate(store, headerWritten, KEY);
        }

        static StalledWriter allocate(final Store store, final boolean headerWritten, final byte[] key)
        {
            final int slot = store.registry.claim(7);
            final long record = store.log.allocate(slot, recordLength(key.length, VALUE_LENGTH), SegmentLog.WRITE, store.reclaimer);
            assertTrue(record > 0, "allocated: " + record);
            final StalledWriter writer = new StalledWriter(
                store, slot, record, lengthsWord(key.length, 0, VALUE_LENGTH, 0), key);
            final UnsafeBuffer buffer = writer.buffer();
            final int offset = writer.offset();
            buffer.putBytes(offset + HEADER_LENGTH, key);
            buffer.setMemory(offset + HEADER_LENGTH + key.length, VALUE_LENGTH, STALLED_VALUE_BYTE);
            if (headerWritten)
            {
                writer.writeHeader();
            }
            return writer;
        }

        void writeHeader()
        {
            buffer().putLong(offset() + LENGTHS_OFFSET, lengths);
            store.registry.announceHeaderWritten(slot, record);
        }

        /**
         * What put does up to its index CAS, for a key it found absent: announces LINKING, then
         * checks the record may be linked. @return the head its CAS would expect.
         */
        long checkedToLink()
        {
            final UnsafeBuffer key = key();
            final int slot = store.index.slotFor(store.hash(key, 0, keyLength));
            final long head = store.index.headAcquire(slot);
            assertEquals(0, store.findKey(store.context(), slot, head, key, 0, keyLength), "the key is new");
            buffer().putLong(offset() + PREVIOUS_OFFSET, head);
            buffer().putLong(offset() + VERSION_OFFSET, store.nextVersion(0));
            store.registry.announceLinking(this.slot, record);
            assertTrue(store.linkable(record));
            return head;
        }

        /** What put does from its walk to its index CAS and bookkeeping, for a key it found absent. */
        void link()
        {
            linkChecked(true);
        }

        /**
         * As {@link #link}, for a writer whose link check came before a forced reclaim flagged its
         * record: its index CAS still wins.
         */
        void linkLate()
        {
            linkChecked(false);
        }

        private void linkChecked(final boolean checkLinkable)
        {
            final UnsafeBuffer key = key();
            final int slot = store.index.slotFor(store.hash(key, 0, keyLength));
            final long head = store.index.headAcquire(slot);
            assertEquals(0, store.findKey(store.context(), slot, head, key, 0, keyLength), "the key is new");
            assertTrue(record > head, "a writer links only over an older head");
            buffer().putLong(offset() + PREVIOUS_OFFSET, head);
            buffer().putLong(offset() + VERSION_OFFSET, store.nextVersion(0));
            if (checkLinkable)
            {
                assertTrue(store.linkable(record));
            }
            assertTrue(store.index.compareAndSetHead(slot, head, record));
            final java.util.concurrent.atomic.AtomicLongArray counters = store.context().counters;
            Counters.increment(counters, Counters.PUTS);
            Counters.increment(counters, Counters.ENTRIES);
            Counters.add(counters, Counters.LIVE_BYTES, recordLength(keyLength, VALUE_LENGTH));
            linked = true;
            store.reclaimer.relocateIfLinkedLate(this.slot, store.context(), record); // as put does after its bookkeeping
        }

        /** Leaves the operation after linking: its slot goes free. */
        void release()
        {
            assertTrue(linked);
            abandonAndRelease();
        }

        UnsafeBuffer key()
        {
            return new UnsafeBuffer(keyBytes);
        }

        /** The value bytes as written (the first word may still be unwritten). */
        boolean valueIntact()
        {
            final UnsafeBuffer buffer = buffer();
            final int offset = offset();
            for (int i = 0; i < VALUE_LENGTH; i++)
            {
                if (buffer.getByte(offset + HEADER_LENGTH + keyLength + i) != STALLED_VALUE_BYTE)
                {
                    return false;
                }
            }
            return true;
        }

        /** Key and value as written, and the first word's fixed bits (reclaim may set in-place flags). */
        boolean bytesIntact()
        {
            final UnsafeBuffer buffer = buffer();
            final int offset = offset();
            if ((buffer.getLong(offset) & ~IN_PLACE_BITS) != lengths)
            {
                return false;
            }
            for (int i = 0; i < VALUE_LENGTH; i++)
            {
                if (buffer.getByte(offset + HEADER_LENGTH + keyLength + i) != STALLED_VALUE_BYTE)
                {
                    return false;
                }
            }
            return true;
        }

        /** What put does when it resumes and finds its record passed: abandon it, then leave. */
        void abandonAndRelease()
        {
            if (!released)
            {
                if (!linked)
                {
                    store.reclaimer.abandoned(record);
                }
                store.registry.release(slot);
                released = true;
            }
        }

        @Override
        public void close()
        {
            abandonAndRelease(); // a failed assertion must not leave close() waiting for this slot
        }

        private UnsafeBuffer buffer()
        {
            return store.log.buffer(store.log.logicalSegment(record));
        }

        private int offset()
        {
            return store.log.offset(record);
        }
    }

    private static void assertPresent(final Store store, final UnsafeBuffer key, final int i)
    {
        final int keyLength = key.putStringWithoutLengthAscii(0, "key:" + i);
        assertEquals(VALUE_LENGTH, store.get(key, 0, keyLength, new UnsafeBuffer(new byte[VALUE_LENGTH]), 0, null));
    }

    private static void assertEntriesCounted(final Store store)
    {
        final long exact = ExactEntryCount.of(store);
        final long counted = store.entryCount();
        assertTrue(counted <= exact && counted >= exact - 8, () -> "entries=" + counted + " but " + exact + " are reachable");
    }
}
