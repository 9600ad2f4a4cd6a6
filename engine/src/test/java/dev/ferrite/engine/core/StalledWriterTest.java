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
* long as the writer stayed away. Now, with eviction on, the reclaim passes the writer once its
* record's first word is written, and the writer's memory sits out each lap (quarantined) until
* it resumes.
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
    void shouldStillRefuseWithFullWhileAWriterStalledBeforeWritingItsHeader()
    {
        // The window that remains: between the tail CAS and the first word, a walk cannot step over
        // the record. A write that needs that segment fails fast, and writing resumes with the writer.
        try (Store store = new Store(new CacheConfig().capacityBytes(128 << 10).segmentBytes(4096)))
        {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[VALUE_LENGTH]);
            LogFill.fillUntilTheLogWraps(store, key, value, KEYS);

            try (StalledWriter writer = StalledWriter.allocate(store, false))
            {
                long refused = 0;
                for (int i = KEYS; i < 3 * KEYS && refused == 0; i++)
                {
                    final long outcome = LogFill.put(store, key, value, i);
                    assertTrue(outcome > 0 || outcome == Status.FULL, "put " + i + " answered " + outcome);
                    refused = outcome == Status.FULL ? i : 0;
                }
                assertTrue(refused > 0, "a write that needed the stalled writer's segment was refused: " + store.stats());

                writer.writeHeader();
                for (int i = 3 * KEYS; i < 5 * KEYS; i++)
                {
                    final long outcome = LogFill.put(store, key, value, i);
                    assertTrue(outcome > 0, "put " + i + " answered " + outcome + " once the header was written: " + store.stats());
                }
                assertTrue(writer.bytesIntact(), "the stalled writer's record was overwritten while it was away");
                writer.abandonAndRelease();
                assertEntriesCounted(store);
            }
        }
    }

    @Test
    void shouldNotForceWithEvictionOffButLoseNothing()
    {
        // With eviction off the reclaim cannot drop anything, and a record the stalled writer links
        // late would be a lost write: it keeps the fail-fast refusal instead.
        final int keys = 200;
        try (Store store = new Store(new CacheConfig().capacityBytes(128 << 10).segmentBytes(4096).evictionEnabled(false)))
        {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[VALUE_LENGTH]);
            for (int i = 0; i < keys; i++)
            {
                value.putInt(0, i);
                assertTrue(LogFill.put(store, key, value, i) > 0);
            }
            try (StalledWriter writer = StalledWriter.allocate(store, true))
            {
                final int[] latest = new int[keys];
                boolean refused = false;
                for (int round = 1; round < 200 && !refused; round++)
                {
                    for (int i = 0; i < keys && !refused; i++)
                    {
                        value.putInt(0, round * keys + i);
                        final long outcome = LogFill.put(store, key, value, i);
                        assertTrue(outcome > 0 || outcome == Status.FULL, "put answered " + outcome);
                        refused = outcome == Status.FULL;
                        if (!refused)
                        {
                            latest[i] = round * keys + i;
                        }
                    }
                }
                assertTrue(refused, "overwrites reached the stalled writer's segment");
                assertTrue(writer.bytesIntact());
                writer.abandonAndRelease();
                final UnsafeBuffer read = new UnsafeBuffer(new byte[VALUE_LENGTH]);
                for (int i = 0; i < keys; i++)
                {
                    final int keyLength = key.putStringWithoutLengthAscii(0, "key:" + i);
                    assertEquals(VALUE_LENGTH, store.get(key, 0, keyLength, read, 0, null), "key " + i + " lost");
                    assertEquals(latest[i] == 0 ? i : latest[i], read.getInt(0), "key " + i + " holds its last value");
                }
                value.putInt(0, -1);
                assertTrue(LogFill.put(store, key, value, 0) > 0, "writes go on once the writer resumed");
            }
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

        private StalledWriter(final Store store, final int slot, final long record, final long lengths, final int keyLength)
        {
            this.store = store;
            this.slot = slot;
            this.record = record;
            this.lengths = lengths;
            this.keyLength = keyLength;
        }

        /** As put does up to its index CAS; with {@code headerWritten} false it stops right after the tail CAS. */
        static StalledWriter allocate(final Store store, final boolean headerWritten)
        {
            final byte[] key = KEY;
            final int slot = store.registry.claim(7);
            final long record = store.log.allocate(slot, recordLength(key.length, VALUE_LENGTH), false, store.reclaimer);
            assertTrue(record > 0, "allocated: " + record);
            final StalledWriter writer = new StalledWriter(
                store, slot, record, lengthsWord(key.length, 0, VALUE_LENGTH, 0), key.length);
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

        /** What put does from its walk to its index CAS and bookkeeping, for a key it found absent. */
        void link()
        {
            final UnsafeBuffer key = key();
            final int slot = store.index.slotFor(store.hash(key, 0, keyLength));
            final long head = store.index.headAcquire(slot);
            assertEquals(0, store.findKey(store.context(), slot, head, key, 0, keyLength), "the key is new");
            buffer().putLong(offset() + PREVIOUS_OFFSET, head);
            buffer().putLong(offset() + VERSION_OFFSET, store.nextVersion(0));
            assertTrue(store.linkable(record));
            assertTrue(store.index.compareAndSetHead(slot, head, record));
            final java.util.concurrent.atomic.AtomicLongArray counters = store.context().counters;
            Counters.increment(counters, Counters.PUTS);
            Counters.increment(counters, Counters.ENTRIES);
            Counters.add(counters, Counters.LIVE_BYTES, recordLength(keyLength, VALUE_LENGTH));
            linked = true;
        }

        UnsafeBuffer key()
        {
            return new UnsafeBuffer(KEY);
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
