package dev.ferrite.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.*;

/** {@link FerriteMap} under contention: atomic per-key updates and weakly consistent iteration. */
class FerriteMapConcurrencyTest
{
    private static final int THREADS = 2;
    private static final int INCREMENTS_PER_THREAD = 10_000;

    private final ExecutorService executor = Executors.newFixedThreadPool(THREADS + 1);
    private final FerriteCache cache = FerriteCache.create(new CacheConfig().capacityBytes(8 << 20).evictionEnabled(false));

    @AfterEach
    void close() throws InterruptedException
    {
        executor.shutdownNow();
        assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
        cache.close();
    }

    /** Runs {@code body(map, thread)} on {@link #THREADS} threads released together, and waits for all. */
    private void race(final FerriteMap<String, Long> map, final BiConsumer<FerriteMap<String, Long>, Integer> body)
        throws Exception
    {
        final CyclicBarrier start = new CyclicBarrier(THREADS);
        final List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++)
        {
            final int thread = t;
            futures.add(executor.submit(() ->
            {
                start.await();
                body.accept(map, thread);
                return null;
            }));
        }
        for (final Future<?> future : futures)
        {
            future.get(60, TimeUnit.SECONDS);
        }
    }

    private FerriteMap<String, Long> counters()
    {
        return cache.asMap(Codecs.STRING, Codecs.LONG);
    }

    @Test
    void shouldLoseNoIncrementWhenThreadsMerge() throws Exception
    {
        final FerriteMap<String, Long> map = counters();
        race(map, (m, thread) ->
        {
            for (int i = 0; i < INCREMENTS_PER_THREAD; i++)
            {
                m.merge("counter", 1L, Long::sum);
            }
        });
        assertEquals(THREADS * INCREMENTS_PER_THREAD, map.get("counter"));
    }

    @Test
    void shouldLoseNoIncrementWhenThreadsCompute() throws Exception
    {
        final FerriteMap<String, Long> map = counters();
        race(map, (m, thread) ->
        {
            for (int i = 0; i < INCREMENTS_PER_THREAD; i++)
            {
                m.compute("counter", (k, v) -> v == null ? 1L : v + 1);
            }
        });
        assertEquals(THREADS * INCREMENTS_PER_THREAD, map.get("counter"));
    }

    @Test
    void shouldLoseNoIncrementWithReplaceLoopsAndComputeIfPresent() throws Exception
    {
        final FerriteMap<String, Long> map = counters();
        map.put("counter", 0L);
        race(map, (m, thread) ->
        {
            for (int i = 0; i < INCREMENTS_PER_THREAD; i++)
            {
                if (thread == 0)
                {
                    m.computeIfPresent("counter", (k, v) -> v + 1);
                }
                else
                {
                    Long current;
                    do
                    {
                        current = m.get("counter");
                    }
                    while (!m.replace("counter", current, current + 1));
                }
            }
        });
        assertEquals(THREADS * INCREMENTS_PER_THREAD, map.get("counter"));
    }

    @Test
    void shouldLetExactlyOneThreadWinEachPutIfAbsentAndRemove() throws Exception
    {
        final FerriteMap<String, Long> map = counters();
        final AtomicInteger inserted = new AtomicInteger();
        final AtomicInteger removed = new AtomicInteger();
        race(map, (m, thread) ->
        {
            for (int i = 0; i < INCREMENTS_PER_THREAD; i++)
            {
                final String key = "k" + (i % 64);
                if (m.putIfAbsent(key, (long)thread) == null)
                {
                    inserted.incrementAndGet();
                }
                if (m.remove(key) != null)
                {
                    removed.incrementAndGet();
                }
            }
        });
        // Every insert is matched by exactly one successful remove, or its key is still there.
        assertEquals(inserted.get(), removed.get() + map.size());
    }

    @Test
    void shouldIterateWithoutDuplicatesOrErrorsWhileAnotherThreadWrites() throws Exception
    {
        final FerriteMap<String, Long> map = counters();
        final int stableKeys = 2000;
        for (int i = 0; i < stableKeys; i++)
        {
            map.put("stable" + i, 0L);
        }
        final AtomicBoolean stop = new AtomicBoolean();
        final Future<?> writer = executor.submit(() ->
        {
            long round = 0;
            while (!stop.get())
            {
                round++;
                for (int i = 0; i < 500 && !stop.get(); i++)
                {
                    map.put("churn" + i, round);       // come and go during iteration
                    map.put("stable" + (i * 4), round); // present throughout, value changing
                    map.remove("churn" + ((i + 250) % 500));
                }
            }
            return null;
        });
        try
        {
            for (int pass = 0; pass < 20; pass++)
            {
                final Set<String> seen = new HashSet<>();
                int stableSeen = 0;
                for (final Map.Entry<String, Long> entry : map.entrySet())
                {
                    assertTrue(seen.add(entry.getKey()), "key returned twice: " + entry.getKey());
                    assertNotNull(entry.getValue());
                    if (entry.getKey().startsWith("stable"))
                    {
                        stableSeen++;
                    }
                }
                assertEquals(stableKeys, stableSeen, "every key present throughout is returned exactly once");
            }
        }
        finally
        {
            stop.set(true);
        }
        writer.get(60, TimeUnit.SECONDS);
    }
}
