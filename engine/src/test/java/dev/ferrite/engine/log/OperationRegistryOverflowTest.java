package dev.ferrite.engine.log;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * More operations in flight at once than the registry's first block holds must not make a claim
 * wait for one of them to leave (found by review: with all 256 slots held, by threads in operations
 * or stalled inside them, every other operation spun in {@code claim}). Overflow blocks take them,
 * and every scan (stalled writers, link fences, close) must see announcements made there.
 */
class OperationRegistryOverflowTest
{
    private static final Duration NO_WAIT = Duration.ofSeconds(10);

    @Test
    void shouldClaimPastAFullFirstBlockWithoutWaiting()
    {
        final OperationRegistry registry = new OperationRegistry(2);
        final int blockSlots = registry.blockSlots();
        final Set<Integer> held = new HashSet<>();
        for (int i = 0; i < blockSlots; i++)
        {
            assertTrue(held.add(registry.claim(i * 7)));
        }
        assertEquals(blockSlots, held.size());
        assertTimeoutPreemptively(NO_WAIT, () ->
        {
            // Two and a half blocks more: the first overflow block fills and a second is linked.
            for (int i = 0; i < blockSlots * 5 / 2; i++)
            {
                final int slot = registry.claim(i);
                assertTrue(slot >= blockSlots, "slot " + slot + " is in the full first block");
                assertTrue(held.add(slot), "slot " + slot + " handed out twice");
            }
        });
        assertEquals(blockSlots * 7 / 2, held.size());
    }

    @Test
    void shouldFindAnnouncementsInOverflowBlocks()
    {
        // Preemptive: without overflow blocks the claims below spin for good.
        assertTimeoutPreemptively(NO_WAIT, OperationRegistryOverflowTest::announceInOverflowBlocks);
    }

    private static void announceInOverflowBlocks()
    {
        final OperationRegistry registry = new OperationRegistry(2);
        final int blockSlots = registry.blockSlots();
        final List<Integer> first = new ArrayList<>();
        for (int i = 0; i < blockSlots; i++)
        {
            first.add(registry.claim(i));
        }
        final int secondBlock = registry.claim(0);
        final List<Integer> filler = new ArrayList<>();
        for (int i = 1; i < blockSlots; i++)
        {
            filler.add(registry.claim(0));
        }
        final int thirdBlock = registry.claim(5);
        assertEquals(blockSlots, secondBlock);
        assertEquals(2 * blockSlots + 5, thirdBlock);

        registry.announceWrite(secondBlock, 4096);
        registry.announceMoveTarget(secondBlock, 8192);
        registry.announceWrite(thirdBlock, 16384);
        registry.announceLinking(thirdBlock, 16384);
        assertEquals(List.of(secondBlock, thirdBlock), announcedSlots(registry));
        assertEquals(4096, registry.announced(secondBlock));
        assertEquals(8192, registry.moveTarget(secondBlock));
        assertEquals(16384 | OperationRegistry.HEADER_WRITTEN | OperationRegistry.LINKING, registry.announced(thirdBlock));

        // A first-block announcement is found before them, and a withdrawn one is not.
        registry.announceWrite(first.get(3), 64);
        registry.withdrawWrite(secondBlock);
        assertEquals(List.of(first.get(3), thirdBlock), announcedSlots(registry));

        // close() waits while only an overflow slot is held.
        first.forEach(registry::release);
        filler.forEach(registry::release);
        registry.release(secondBlock);
        assertTrue(registry.anyInFlight(), "an operation still holds a slot in the third block");
        registry.release(thirdBlock);
        assertFalse(registry.anyInFlight());
        assertEquals(-1, registry.nextAnnounced(0));

        // Once the first block has room again, claims go back to it.
        assertTrue(registry.claim(9) < blockSlots);
    }

    @Test
    void shouldGiveEveryConcurrentOperationItsOwnSlot() throws Exception
    {
        final OperationRegistry registry = new OperationRegistry(2);
        final int threads = registry.blockSlots() + 64;
        final Set<Integer> held = ConcurrentHashMap.newKeySet();
        final CyclicBarrier start = new CyclicBarrier(threads);
        final CountDownLatch claimed = new CountDownLatch(threads);
        final CountDownLatch release = new CountDownLatch(1);
        final List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++)
        {
            final int home = t;
            final Thread worker = new Thread(() ->
            {
                try
                {
                    start.await();
                    final int slot = registry.claim(home);
                    held.add(slot);
                    claimed.countDown();
                    release.await();
                    registry.release(slot);
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        assertTimeoutPreemptively(NO_WAIT, () -> claimed.await());
        assertEquals(threads, held.size(), "two operations shared a slot");
        release.countDown();
        for (final Thread worker : workers)
        {
            worker.join(NO_WAIT.toMillis());
        }
        assertFalse(registry.anyInFlight());
    }

    private static List<Integer> announcedSlots(final OperationRegistry registry)
    {
        final List<Integer> slots = new ArrayList<>();
        for (int s = registry.nextAnnounced(0); s >= 0; s = registry.nextAnnounced(s + 1))
        {
            slots.add(s);
        }
        return slots;
    }
}
