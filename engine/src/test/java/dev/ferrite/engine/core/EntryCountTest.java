package dev.ferrite.engine.core;

import dev.ferrite.engine.CacheConfig;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code entries} statistic against the entries really reachable ({@link ExactEntryCount}) after
 * concurrent churn in a store far smaller than its keys, so that touch's copies race the reclaim of
 * their source. Before the fix in {@code Reclaimer.copyRecord} (an abandoned copy kept its source's
 * first word, which could belong to a record of the next lap), segment walks jumped over records that
 * were then lost without a count: entries ran 50-90% above the truth here, every run.
 */
class EntryCountTest
{
    private static final int THREADS = 4;
    private static final int ROUNDS = 20;
    private static final int OPERATIONS_PER_ROUND = 3_000;
    private static final int KEYS = 1_200;

    @Test
    void shouldCountTheReachableEntriesAfterConcurrentTouchPutRemoveWithEviction() throws Exception
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(1_000_000);
        try (Store store = new Store(new CacheConfig().capacityBytes(128 << 10).segmentBytes(4096).clock(clock)))
        {
            final CyclicBarrier barrier = new CyclicBarrier(THREADS + 1);
            final Thread[] workers = new Thread[THREADS];
            for (int t = 0; t < THREADS; t++)
            {
                final int seed = t;
                workers[t] = new Thread(() -> churn(store, clock, barrier, seed));
                workers[t].start();
            }
            for (int round = 0; round < ROUNDS; round++)
            {
                barrier.await();
                barrier.await();
                clock.advance(10);
            }
            for (final Thread worker : workers)
            {
                worker.join();
            }
            final long exact = ExactEntryCount.of(store);
            final long counted = store.entryCount();
            assertTrue(store.stats().evictions() > 0 && store.stats().relocations() > 0, () -> "reclaim ran: " + store.stats());
            // Never above the truth. Below it by a few at most: a record counted as evicted while a
            // concurrent write still finds it in its segment (before the segment is reused) lives on
            // (see Reclaimer's design note).
            assertTrue(counted <= exact && counted >= exact - Math.max(8, exact / 50),
                () -> "entries=" + counted + " but " + exact + " are reachable: " + store.stats());
        }
    }

    private static void churn(final Store store, final CachedEpochClock clock, final CyclicBarrier barrier, final int seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final UnsafeBuffer value = new UnsafeBuffer(new byte[300]);
        final UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
        try
        {
            for (int round = 0; round < ROUNDS; round++)
            {
                barrier.await();
                for (int i = 0; i < OPERATIONS_PER_ROUND; i++)
                {
                    final int keyLength = key.putStringWithoutLengthAscii(0, "key:" + random.nextInt(KEYS));
                    final long expiresAt = random.nextInt(3) == 0 ? clock.time() + 10L * (1 + random.nextInt(3)) : 0;
                    final int operation = random.nextInt(10);
                    if (operation < 6)
                    {
                        store.put(key, 0, keyLength, value, 0, 40 + random.nextInt(200), expiresAt, Store.PUT_ALWAYS, 0, null);
                    }
                    else if (operation == 6)
                    {
                        store.remove(key, 0, keyLength, 0);
                    }
                    else if (operation == 7)
                    {
                        store.touch(key, 0, keyLength, expiresAt);
                    }
                    else
                    {
                        store.get(key, 0, keyLength, value, 0, null);
                    }
                }
                barrier.await();
            }
        }
        catch (final Exception e)
        {
            throw new IllegalStateException(e);
        }
    }
}
