package dev.ferrite.engine.core;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.log.SegmentTable;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link ExpiryWatch}: the bound never passes a noted expiry, and an open gate costs one pass.
 * Both found by review of the first version (a bound raised by CAS from the value read lost a note
 * lowered during the pass; a pass per reclaimed segment while an expiry was due).
 */
class ExpiryWatchTest
{
    private static final long T = 1_000_000;

    private volatile long round;
    private volatile long writerDone;
    private volatile boolean stop;

    /**
     * The reviewer's race: a pass over the table (as a FULL write makes) while another thread writes
     * a record with an expiry earlier than every note so far into a fresh segment. After each round
     * the bound must not be above the earliest note. Before the fix it was, within 5-179 rounds.
     */
    @Test
    void shouldNeverRaiseTheBoundPastANoteLoweredDuringAPass() throws Exception
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(T);
        try (Store store = evictionOffStore(64 << 20, clock))
        {
            final ExpiryWatch watch = store.reclaimer.expiryWatch();
            final SegmentTable table = store.log.table();
            final int segments = store.log.segmentCount();
            final long spareSegment = segments; // logical n (physical 0): the tail never gets there here
            final UnsafeBuffer big = new UnsafeBuffer(new byte[3000]); // one record a segment: each write's segment is fresh
            final long[] expiryOfRound = new long[segments];
            final Thread writer = new Thread(() ->
            {
                final UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
                long seen = 0;
                while (!stop)
                {
                    final long r = round;
                    if (r == seen || r < 0)
                    {
                        Thread.onSpinWait();
                        continue;
                    }
                    seen = r;
                    final long until = System.nanoTime() + ThreadLocalRandom.current().nextLong(30_000);
                    while (System.nanoTime() < until)
                    {
                        Thread.onSpinWait();
                    }
                    final int length = key.putStringWithoutLengthAscii(0, "t:" + r);
                    store.put(key, 0, length, big, 0, big.capacity(), expiryOfRound[(int)r], Store.PUT_ALWAYS, 0, null);
                    writerDone = r;
                }
            });
            writer.start();
            int rounds = 0;
            final long deadline = System.nanoTime() + 2_000_000_000L;
            try
            {
                for (int r = 1; r < segments / 2 && System.nanoTime() < deadline; r++, rounds++)
                {
                    // The bound as it is right after the segment holding the earliest note was reclaimed: in the past.
                    watch.note(store.log.segmentStart(spareSegment), T);
                    table.clearEarliestExpiry(store.log.physical(spareSegment));
                    assertTrue(watch.bound() <= T);
                    expiryOfRound[r] = T + 1_000_000 - r; // each earlier than every earlier round's
                    round = r;
                    assertFalse(watch.due(), "nothing has expired");
                    while (writerDone != r)
                    {
                        Thread.onSpinWait();
                    }
                    long earliestNote = Long.MAX_VALUE;
                    for (int p = 0; p < segments; p++)
                    {
                        final long note = table.earliestExpiry(p);
                        if (note != 0)
                        {
                            earliestNote = Math.min(earliestNote, note);
                        }
                    }
                    assertEquals(expiryOfRound[r], earliestNote);
                    final long bound = watch.bound();
                    final int atRound = r;
                    final long earliest = earliestNote;
                    assertTrue(bound <= earliest, () -> "round " + atRound + ": bound " + bound +
                        " passed the earliest note " + earliest + ": an expiry still in the log would go unseen");
                }
            }
            finally
            {
                stop = true;
                writer.join();
            }
            assertTrue(rounds > 10, "rounds run: " + rounds);
            clock.update(expiryOfRound[rounds]);
            assertTrue(watch.due(), "the last round's record has expired");
        }
    }

    /** Reaching an expired record k segments behind the head is one pass, not k. */
    @Test
    void shouldPassOverTheTableOnceForAGateOpenedByAnExpiry()
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(T);
        try (Store store = evictionOffStore(8 << 20, clock))
        {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[32]);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[200]);
            int refusedInARow = 0;
            int written = 0;
            for (int i = 0; refusedInARow < 10; i++)
            {
                final int length = key.putStringWithoutLengthAscii(0, "k:" + i);
                // One entry with an expiry, far from the head: near the end of the fill.
                final long expiry = i == 30_000 ? T + 10 : 0;
                final long result = store.put(key, 0, length, value, 0, value.capacity(), expiry, Store.PUT_ALWAYS, 0, null);
                refusedInARow = result > 0 ? 0 : refusedInARow + 1;
                written += result > 0 ? 1 : 0;
            }
            assertTrue(written > 30_000, "written " + written);
            clock.update(T + 10);
            final ExpiryWatch watch = store.reclaimer.expiryWatch();
            final long passesBefore = watch.passes();
            final long relocationsBefore = store.stats().relocations();
            final int length = key.putStringWithoutLengthAscii(0, "late");
            assertTrue(store.put(key, 0, length, value, 0, value.capacity(), 0, Store.PUT_ALWAYS, 0, null) > 0,
                "the expired entry's room");
            final long relocated = store.stats().relocations() - relocationsBefore;
            assertTrue(relocated > 10_000, "compaction walked far to reach it: " + relocated);
            assertTrue(watch.passes() - passesBefore <= 2, "passes over the table: " + (watch.passes() - passesBefore) +
                " for " + relocated + " relocations");
        }
    }
    /**
     * Two passes (two FULL writes' gates) and a writer noting an earlier expiry each round, on plain
     * threads. With one mark shared by all passes, a pass overtaken by the writer and then by the
     * other pass raised the bound over the note all the same (review: 368-448 of about 14,600 rounds).
     */
    @Test
    void shouldNeverRaiseTheBoundPastANoteWhenPassesOvertakeEachOther() throws Exception
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(T);
        try (Store store = evictionOffStore(64 << 20, clock))
        {
            final ExpiryWatch watch = store.reclaimer.expiryWatch();
            final SegmentTable table = store.log.table();
            final int segments = store.log.segmentCount();
            final long base = store.log.headSegment() + 1;
            final CyclicBarrier start = new CyclicBarrier(3);
            final CyclicBarrier end = new CyclicBarrier(3);
            final long[] expiryOfRound = new long[1];
            final long[] segmentOfRound = new long[1];
            final int maxRounds = segments - 2;
            final Runnable passer = () ->
            {
                try
                {
                    for (int r = 0; r < maxRounds; r++)
                    {
                        start.await();
                        if (expiryOfRound[0] < 0) return;
                        spin(ThreadLocalRandom.current().nextLong(60_000));
                        watch.due();
                        end.await();
                    }
                }
                catch (final Exception e)
                {
                    throw new RuntimeException(e);
                }
            };
            final Thread p1 = new Thread(passer);
            final Thread p3 = new Thread(passer);
            p1.start();
            p3.start();
            int violations = 0;
            int rounds = 0;
            String first = null;
            final long deadline = System.nanoTime() + 1_500_000_000L;
            try
            {
                for (int r = 0; r < maxRounds && System.nanoTime() < deadline; r++, rounds++)
                {
                    // Start each round with a bound in the past (as after the earliest note's segment was reclaimed).
                    watch.note(store.log.segmentStart(base + segments - 3), T);
                    table.clearEarliestExpiry(store.log.physical(base + segments - 3));
                    expiryOfRound[0] = T + 1_000_000 - r;
                    segmentOfRound[0] = base + r;
                    start.await();
                    spin(ThreadLocalRandom.current().nextLong(60_000));
                    watch.note(store.log.segmentStart(segmentOfRound[0]), expiryOfRound[0]);
                    end.await();
                    final long bound = watch.bound();
                    if (bound > expiryOfRound[0])
                    {
                        violations++;
                        if (first == null)
                        {
                            first = "round " + r + ": bound " + bound + " above the note " + expiryOfRound[0];
                        }
                        // the next rounds' notes are lower, so they lower it again: go on
                    }
                }
            }
            finally
            {
                expiryOfRound[0] = -1;
                p1.interrupt();
                p3.interrupt();
                start.reset();
                p1.join(1000);
                p3.join(1000);
            }
            assertEquals(0, violations, violations + " of " + rounds + " rounds left the bound above a note; first: " + first);
        }
    }

    private static void spin(final long ns)
    {
        final long until = System.nanoTime() + ns;
        while (System.nanoTime() < until)
        {
            Thread.onSpinWait();
        }
    }

    /** A one-store, eviction-off store of 4 KiB segments: where the watch runs. */
    static Store evictionOffStore(final long capacityBytes, final CachedEpochClock clock)
    {
        return new Store(new CacheConfig().capacityBytes(capacityBytes).segmentBytes(4096)
            .evictionEnabled(false).shards(1).clock(clock));
    }
}
