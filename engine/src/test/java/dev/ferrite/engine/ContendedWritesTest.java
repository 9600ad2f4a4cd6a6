package dev.ferrite.engine;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Liveness under oversubscription: with more writer threads than cores, overwrites of a few thousand
 * keys in a mostly empty cache can be refused with FULL, when a write keeps losing reclaimed space to
 * other writers or waits out its bound for a thread descheduled in the oldest segment (the lock-free
 * escape). That is an open engine issue (about 1 refused write per 100,000 to 1,000,000 here); this test
 * keeps it rare: at most 1 refusal per 10,000 writes.
 */
class ContendedWritesTest
{
    @Test
    void shouldRefuseOnlyARareWriteWhileLiveDataIsTiny() throws Exception
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
            final long puts = cache.stats().puts();
            assertTrue(puts > 10_000, "the log wrapped several times: " + cache.stats());
            assertTrue(full.get() * 10_000 <= puts, () -> full.get() + " writes refused against " + puts + ": " + failure.get());
            assertEquals(2000, cache.size());
        }
    }
}
