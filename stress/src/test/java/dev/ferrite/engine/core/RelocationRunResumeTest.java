package dev.ferrite.engine.core;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.log.SegmentLog;
import dev.ferrite.engine.log.SegmentTable;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.charset.StandardCharsets;

import static dev.ferrite.engine.log.RecordDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A relocation run's helper that resumes while its run's segment is being force-reclaimed must not
 * put a copy where the walk has yet to look. Found by a review agent (with an earlier form of this
 * test) against the design that named the run's filler in the helper's slot with its first word
 * written: the pass flagged the filler, the helper's next copy overwrote that word unflagged, and the
 * walk took the unlinked, stale copy for its key's newest version and linked it over the real one.
 * Now (RelocationRun, rules 2 and 3) the slot announces the room as unwritten, so the walk stops
 * short of it, and take() checks the run's segment is still OPEN, so the resumed helper's copy goes
 * to a new run at the tail, where it is abandoned as any stalled relocation's copy.
 *
 * <p>The helper is played by this thread with the engine's own RelocationRun and the stores
 * copyAndLink makes before announceLinking, as a helper that stalled a lap at RELOCATION_BEFORE_COPY
 * (its source checked current, RelocationRunStallTest (c)) and resumes once the forced reclaim of
 * its run's segment has claimed its first batch:
 * <pre>
 *   helper H: run open in L (a first copy, abandoned), slot announces n, filler at n   (stalled)
 *   writer:   head reaches L, forced reclaim past H; claims its first batch of L, below n
 *   H:        take(): L is not OPEN, so a new run at the tail; writes its stale copy there
 *             (first word, announced, the rest)                                        (stalled again)
 *   writer:   walks L (up to n, the rest through the index) and laps on
 *   then:     the key always reads its newest version; H goes on, abandons its copy, closes the run
 * </pre>
 * Control: the same copy written before the forced reclaim (then in L) is dropped too.
 */
@EnabledIfSystemProperty(named = StallInjection.ENABLED_PROP_NAME, matches = "true")
class RelocationRunResumeTest
{
    private static final int TRACKED = 100;
    private static final int CHURN = 20;
    private static final int VALUE_LENGTH = 40;
    private static final int VICTIM = 5;

    private volatile boolean injected;
    private volatile long helperCopy;

    @AfterEach
    void removePlan()
    {
        StallInjection.install(null);
    }

    /** The helper resumes after the forced reclaim of its run's segment began. */
    @Test
    void shouldNotLinkTheStaleCopyOfAHelperResumingDuringTheReclaimOfItsRun()
    {
        play(true);
    }

    /** Control: the same copy, written before the forced reclaim (into the run), is flagged by the pass and dropped. */
    @Test
    void shouldNotLinkAHelpersUnlinkedCopyWrittenBeforeThePass()
    {
        play(false);
    }

    private void play(final boolean afterPass)
    {
        try (Store store = new Store(
            new CacheConfig().capacityBytes(128 << 10).segmentBytes(4096).evictionEnabled(true).hashSeed(42)))
        {
            final SegmentLog log = store.log;
            final SegmentTable table = log.table();
            final UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[VALUE_LENGTH]);
            for (int i = 0; i < TRACKED; i++)
            {
                assertTrue(put(store, key, value, "tracked", i, 0) > 0);
            }
            final int len = recordLength(16, VALUE_LENGTH);
            int churn = 0;

            // The stale source H decided to copy: tracked VICTIM as it is now (value byte 0).
            key(key, "tracked", VICTIM);
            final OperationContext context = store.context();
            final int slot = store.index.slotFor(store.hash(key, 0, 16));
            final long source = store.findKey(context, slot, store.index.headAcquire(slot), key, 0, 16);
            assertTrue(source > 0);
            final long sourceLengths = context.foundLengthsWord;
            final byte[] sourceBytes = new byte[len];
            log.buffer(log.logicalSegment(source)).getBytes(log.offset(source), sourceBytes);

            // The key is written again, below the run: its newest version holds value byte 1.
            assertTrue(put(store, key, value, "tracked", VICTIM, 1) > 0);
            // The run well inside its segment: the forced reclaim's first claim (<= 1/16 segment) ends below it.
            while (log.offset(log.tail()) < 1024 || log.offset(log.tail()) > 4096 - 8 - 4 * len)
            {
                assertTrue(put(store, key, value, "churn", churn % CHURN, churn++) > 0);
            }

            // Helper H: a run of three copies' room; its first copy abandoned (flagged), room left
            // covered by the filler and named in its slot, exactly as RelocationRun does.
            final int helperSlot = store.registry.claim(13);
            try
            {
            final RelocationRun run = new RelocationRun();
            run.enabled = true;
            run.wantedBytes = 3 * len;
            final long first = run.take(log, store.registry, helperSlot, len, 0);
            assertTrue(first > 0);
            final long segmentL = log.logicalSegment(first);
            final UnsafeBuffer bufferL = log.buffer(segmentL);
            bufferL.putLong(log.offset(first), sourceLengths & ~IN_PLACE_BITS | SUPERSEDED_BIT); // an abandoned copy
            run.afterCopy(store.registry, helperSlot);
            final long n = first + len;
            assertEquals(n, store.registry.announced(helperSlot), "between copies the slot announces the room as unwritten");
            final long filler = bufferL.getLong(log.offset(n));
            assertTrue((flags(filler) & FLAG_FILLER) != 0);

            final Runnable resumeHelper = () ->
            {
                injected = true;
                // H resumes in copyRecord: take() from its run, then copyAndLink up to its putBytes.
                final long copy = run.take(log, store.registry, helperSlot, len, 0);
                assertTrue(copy > 0);
                helperCopy = copy;
                final UnsafeBuffer bufferCopy = log.buffer(log.logicalSegment(copy));
                bufferCopy.putLong(log.offset(copy) + LENGTHS_OFFSET, sourceLengths & ~IN_PLACE_BITS);
                store.registry.announceHeaderWritten(helperSlot, copy);
                bufferCopy.putBytes(log.offset(copy) + PREVIOUS_OFFSET, sourceBytes, PREVIOUS_OFFSET, len - PREVIOUS_OFFSET);
                // ... and is descheduled before announceLinking.
            };
            if (!afterPass)
            {
                resumeHelper.run();
            }
            final Thread writer = Thread.currentThread();
            StallInjection.install(point ->
            {
                if (point != StallInjection.RECLAIM_CLAIMED || Thread.currentThread() != writer || injected ||
                    log.headSegment() != segmentL)
                {
                    return;
                }
                final long cursor = table.cursorVolatile(log.physical(segmentL));
                if ((int)cursor > log.offset(n) ||
                    table.stateAcquire(log.physical(segmentL)) != SegmentTable.state(segmentL, SegmentTable.PHASE_RECLAIMING))
                {
                    return; // the claim already reached the room
                }
                resumeHelper.run();
                assertTrue(!afterPass || log.logicalSegment(helperCopy) != segmentL,
                    "a helper resuming during the reclaim of its run's segment must not copy into it");
            });

            String firstStaleRead = null;
            for (int i = 0; i < 4 * 128 * 1024 / len; i++)
            {
                assertTrue(put(store, key, value, "churn", churn % CHURN, churn++) > 0);
                final byte[] read = get(store, key, "tracked", VICTIM);
                if (firstStaleRead == null && (read == null || read[0] != 1))
                {
                    firstStaleRead = "after churn put " + i + " (injected " + injected + "): tracked " + VICTIM + " reads " +
                        (read == null ? "nothing" : "value " + read[0]) + ", " + store.stats();
                }
            }
            StallInjection.install(null);
            assertTrue(injected, "the forced reclaim of the run's segment never claimed below the helper's room");
            assertEquals(null, firstStaleRead, "tracked " + VICTIM + " must always read its newest value (1), never the stale"
                + " unlinked copy the helper wrote");

            // H goes on: its source is gone, so it abandons the copy and closes the run.
            store.registry.announceLinking(helperSlot, helperCopy);
            store.reclaimer.abandoned(helperCopy);
            run.afterCopy(store.registry, helperSlot);
            run.close(store.registry, helperSlot);
            for (int i = 0; i < 128 * 1024 / len; i++)
            {
                assertTrue(put(store, key, value, "churn", churn % CHURN, churn++) > 0);
            }

            assertEquals(null, firstStaleRead, "tracked " + VICTIM + " must always read its newest value (1), never the stale"
                + " unlinked copy the helper wrote");
            final byte[] read = get(store, key, "tracked", VICTIM);
            assertTrue(read != null, "tracked " + VICTIM + " missing: " + store.stats());
            assertEquals(1, read[0], "tracked " + VICTIM + " must read its newest value (1), not the stale copy the helper"
                + " wrote: " + store.stats());
            }
            finally
            {
                store.registry.release(helperSlot); // close() waits for every slot
            }
        }
    }

    private static void key(final UnsafeBuffer key, final String kind, final int i)
    {
        key.putBytes(0, String.format("%-8s%08d", kind, i).getBytes(StandardCharsets.US_ASCII));
    }

    private static long put(final Store store, final UnsafeBuffer key, final UnsafeBuffer value, final String kind, final int i, final int v)
    {
        key(key, kind, i);
        value.putByte(0, (byte)v);
        return store.put(key, 0, 16, value, 0, VALUE_LENGTH, 0, Store.PUT_ALWAYS, 0, null);
    }

    private static byte[] get(final Store store, final UnsafeBuffer key, final String kind, final int i)
    {
        key(key, kind, i);
        final UnsafeBuffer destination = new UnsafeBuffer(new byte[VALUE_LENGTH]);
        final int length = store.get(key, 0, 16, destination, 0, null);
        return length < 0 ? null : destination.byteArray();
    }
}
