package dev.ferrite.engine;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Regression: with more writer threads than cores, overwrites of a few thousand keys in a mostly
 * empty cache got FULL. A write that reclaimed a segment could see other writers take the space, lap
 * after lap, and gave up after one lap; and a write gave a descheduled thread inside the oldest
 * segment only 64 yields. Neither is "out of space": with eviction on and tiny live data, every write
 * must succeed.
 */
class ContendedWritesTest
{
    @Test
    void shouldNeverReportFullWhileLiveDataIsTiny() throws Exception
    {
        final int threads = Math.max(3, Runtime.getRuntime().availableProcessors() + 1);
        try (FerriteCache cache = FerriteCache.create(new CacheConfig().capacityBytes(64L << 20)))
        {
            final AtomicLong full = new AtomicLong();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final long endNs = System.nanoTime() + 1_500_000_000L;
            final Thread[] writers = new Thread[threads];
            for (int t = 0; t < threads; t++)
            {
                final int seed = t;
                writers[t] = new Thread(() ->
                {
                    final SplittableRandom random = new SplittableRandom(seed);
                    final byte[] value = new byte[64];
                    while (System.nanoTime() < endNs)
                    {
                        final byte[] key = ("user:" + random.nextInt(2000)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                        try
                        {
                            cache.put(key, value);
                        }
                        catch (final IllegalStateException ex)
                        {
                            full.incrementAndGet();
                            failure.compareAndSet(null, ex);
                        }
                    }
                });
                writers[t].start();
            }
            for (final Thread writer : writers)
            {
                writer.join();
            }
            assertEquals(0, full.get(), () -> "writes refused: " + failure.get());
            assertTrue(cache.stats().puts() > 10_000, "the log wrapped several times: " + cache.stats());
            assertEquals(2000, cache.size());
        }
    }
}
