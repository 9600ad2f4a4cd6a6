package dev.ferrite.engine.core;

import dev.ferrite.engine.log.SegmentTable;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link ExpiryWatch} under two passes and two writers at once, each round from a fresh state (set
 * through reflection: the bound and dueThrough are private), with a clock that moves each round
 * and notes both due and not yet due. After every round, each note must be at or above the bound,
 * or due and covered by dueThrough. Written by the review of the per-pass marks (it passed there),
 * kept for the change after it (a pass may take over another's mark).
 */
class ExpiryWatchStressTest
{
    private static final long T = 1_000_000;

    @Test
    void shouldCoverEveryNoteByTheBoundOrDueThroughAfterConcurrentPassesAndWriters() throws Exception
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(T);
        try (Store store = ExpiryWatchTest.evictionOffStore(8 << 20, clock))
        {
            final ExpiryWatch watch = store.reclaimer.expiryWatch();
            final SegmentTable table = store.log.table();
            final int segments = store.log.segmentCount();
            final long head = store.log.headSegment();
            final Field boundField = ExpiryWatch.class.getDeclaredField("bound");
            boundField.setAccessible(true);
            final Field dueField = ExpiryWatch.class.getDeclaredField("dueThrough");
            dueField.setAccessible(true);
            final AtomicLong bound = (AtomicLong)boundField.get(watch);
            final AtomicLong dueThrough = (AtomicLong)dueField.get(watch);
            final int threads = 4;
            final CyclicBarrier start = new CyclicBarrier(threads + 1);
            final CyclicBarrier end = new CyclicBarrier(threads + 1);
            final long[] now = new long[1];
            final boolean[] stop = new boolean[1];
            final Thread[] workers = new Thread[threads];
            for (int t = 0; t < threads; t++)
            {
                final boolean passer = t % 2 == 0;
                workers[t] = new Thread(() ->
                {
                    try
                    {
                        while (true)
                        {
                            start.await();
                            if (stop[0]) return;
                            final ThreadLocalRandom random = ThreadLocalRandom.current();
                            for (int i = 0; i < 3; i++)
                            {
                                spin(random.nextLong(20_000));
                                if (passer)
                                {
                                    watch.due();
                                }
                                else
                                {
                                    final long segment = head + random.nextInt(segments - 2);
                                    final long expiry = now[0] - 20 + random.nextInt(200);
                                    watch.note(store.log.segmentStart(segment), Math.max(1, expiry));
                                }
                            }
                            end.await();
                        }
                    }
                    catch (final Exception e)
                    {
                        throw new RuntimeException(e);
                    }
                });
                workers[t].start();
            }
            int violations = 0;
            String first = null;
            int rounds = 0;
            final long deadline = System.nanoTime() + 2_000_000_000L;
            try
            {
                for (int r = 0; System.nanoTime() < deadline; r++, rounds++)
                {
                    now[0] = T + r * 1000L;
                    clock.update(now[0]);
                    for (int p = 0; p < segments; p++)
                    {
                        table.clearEarliestExpiry(p);
                    }
                    bound.set(1);
                    dueThrough.set(-1);
                    start.await();
                    end.await();
                    final long b = bound.get();
                    final long d = dueThrough.get();
                    for (int p = 0; p < segments; p++)
                    {
                        final long e = table.earliestExpiry(p);
                        if (e == 0)
                        {
                            continue;
                        }
                        final long logical = SegmentTable.logicalSegmentOf(table.stateAcquire(p));
                        final boolean ok = b <= e || (e <= now[0] && d >= logical);
                        if (!ok)
                        {
                            violations++;
                            if (first == null)
                            {
                                first = "round " + r + ": bound " + b + " dueThrough " + d + " note " + e + " at " + logical + " now " + now[0];
                            }
                        }
                    }
                }
            }
            finally
            {
                stop[0] = true;
                start.await();
                for (final Thread w : workers) w.join(1000);
            }
            assertEquals(0, violations, violations + " in " + rounds + " rounds; first: " + first);
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
}
