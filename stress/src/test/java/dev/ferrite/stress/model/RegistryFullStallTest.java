package dev.ferrite.stress.model;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.FerriteCache;
import dev.ferrite.engine.Status;
import dev.ferrite.engine.core.StallInjection;
import dev.ferrite.engine.log.OperationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * More threads stalled inside operations than the operation registry's first block has slots must
 * not stop another thread's operations. Found by review: with 256 readers parked inside get, another
 * thread's get did not finish in 5 s (it spun in {@code OperationRegistry.claim} until one left);
 * with 255 it finished at once.
 */
@EnabledIfSystemProperty(named = StallInjection.ENABLED_PROP_NAME, matches = "true") // the stall-injection execution only
class RegistryFullStallTest
{
    private static final byte[] KEY = "parked-on".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VALUE = "value".getBytes(StandardCharsets.US_ASCII);
    private static final String PARKED = "parked-";

    @AfterEach
    void removePlan()
    {
        StallInjection.install(null);
    }

    @Test
    void shouldServeOtherThreadsWhileMoreThanABlockOfOperationsIsStalled() throws Exception
    {
        assertTrue(StallInjection.ENABLED, "run with -D" + StallInjection.ENABLED_PROP_NAME + "=true (stress/pom.xml sets it)");
        final int blockSlots = new OperationRegistry(Runtime.getRuntime().availableProcessors()).blockSlots();
        final int readers = blockSlots + 8;
        final int writers = 8;
        final CountDownLatch parked = new CountDownLatch(readers + writers);
        final CountDownLatch release = new CountDownLatch(1);
        StallInjection.install(point ->
        {
            final boolean reader = point == StallInjection.GET_BEFORE_VALIDATE;
            if ((reader || point == StallInjection.PUT_LINKED) && Thread.currentThread().getName().startsWith(PARKED))
            {
                parked.countDown();
                try
                {
                    release.await();
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
        });

        final ExecutorService other = Executors.newSingleThreadExecutor(r -> daemon(r, "other"));
        try (FerriteCache cache = FerriteCache.create(new CacheConfig().capacityBytes(8 << 20).shards(1)))
        {
            cache.put(KEY, VALUE);
            final AtomicInteger rightAnswers = new AtomicInteger();
            final List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < readers; i++)
            {
                threads.add(daemon(() ->
                {
                    if (java.util.Arrays.equals(VALUE, cache.get(KEY)))
                    {
                        rightAnswers.incrementAndGet();
                    }
                }, PARKED + "reader-" + i));
            }
            for (int i = 0; i < writers; i++)
            {
                final byte[] key = ("parked-writer-" + i).getBytes(StandardCharsets.US_ASCII);
                threads.add(daemon(() ->
                {
                    if (cache.put(key, VALUE) > 0)
                    {
                        rightAnswers.incrementAndGet();
                    }
                }, PARKED + "writer-" + i));
            }
            threads.forEach(Thread::start);
            try
            {
                checkOthersServed(cache, other, parked, readers + writers);
            }
            finally
            {
                // Before close, which waits for every operation in flight.
                release.countDown();
            }
            for (final Thread thread : threads)
            {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
            assertEquals(readers + writers, rightAnswers.get(), "every parked operation completed with its answer");
            final Future<?> closing = other.submit(cache::close);
            closing.get(30, TimeUnit.SECONDS);
        }
        finally
        {
            release.countDown();
            other.shutdownNow();
        }
    }

    private static void checkOthersServed(
        final FerriteCache cache, final ExecutorService other, final CountDownLatch parked, final int parkedCount) throws Exception
    {
        assertTrue(parked.await(30, TimeUnit.SECONDS), "threads parked: " + (parkedCount - parked.getCount()));

        // Every slot of the first block is held by a parked operation; these must not wait for them.
        assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
        {
            final byte[] other1 = "other-1".getBytes(StandardCharsets.US_ASCII);
            assertArrayEquals(VALUE, other.submit(() -> cache.get(KEY)).get());
            assertTrue(other.submit(() -> cache.put(other1, VALUE)).get() > 0);
            assertEquals(Status.EXISTS, other.submit(() -> cache.putIfAbsent(other1, VALUE, 0)).get());
            assertTrue(other.submit(() -> cache.remove(other1)).get() > 0);
            assertNull(other.submit(() -> cache.get(other1)).get());
        }, "another thread's operations waited for the parked ones");
    }

    private static Thread daemon(final Runnable task, final String name)
    {
        final Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
