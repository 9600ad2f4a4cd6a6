package dev.ferrite.engine;

import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.ferrite.engine.core.Store;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Found by review (each test failed before {@code Store.PUT_IF_VERSION_KEEPING_EXPIRY}):
 * FerriteMap's replace/compute family "keeps the entry's expiry" by writing back the expiry read
 * before the compare-and-set. The compare-and-set is on the version, and touch keeps the version,
 * so a touch that completes between the map's read and its CAS is silently undone: the CAS succeeds
 * and restores the old expiry. Linearized at its CAS, the compute comes after the touch, so it must
 * keep the touched expiry.
 */
class MapKeepsExpiryTest
{
    private static final long START = 1_000_000;

    @ParameterizedTest(name = "shards={0}")
    @ValueSource(ints = {1, 4})
    void computeIfPresentMustNotUndoAConcurrentTouch(final int shards) throws Exception
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(START);
        try (FerriteCache cache = FerriteCache.create(new CacheConfig().capacityBytes(4 << 20).shards(shards).clock(clock)))
        {
            final FerriteMap<String, String> map = cache.asMap(Codecs.STRING, Codecs.STRING);
            final byte[] key = "session".getBytes(StandardCharsets.UTF_8);
            final long shortExpiry = START + 1_000;
            final long extended = START + 60_000;
            cache.put(key, "v1".getBytes(StandardCharsets.UTF_8), shortExpiry);

            final CountDownLatch inFunction = new CountDownLatch(1);
            final CountDownLatch touched = new CountDownLatch(1);
            final AtomicLong touchResult = new AtomicLong();
            final Thread toucher = new Thread(() ->
            {
                try
                {
                    inFunction.await();
                    touchResult.set(cache.touch(key, extended)); // completes before the compute's CAS
                    touched.countDown();
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                }
            });
            toucher.start();

            final AtomicBoolean first = new AtomicBoolean(true);
            map.computeIfPresent("session", (k, v) ->
            {
                if (first.getAndSet(false))
                {
                    inFunction.countDown();
                    try
                    {
                        assertTrue(touched.await(5, TimeUnit.SECONDS));
                    }
                    catch (final InterruptedException e)
                    {
                        throw new IllegalStateException(e);
                    }
                }
                return v + "+";
            });
            toucher.join();
            assertTrue(touchResult.get() > 0, "touch succeeded: " + touchResult.get());

            final EntryMeta meta = new EntryMeta();
            assertEquals("v1+", new String(cache.get(key, meta), StandardCharsets.UTF_8));
            assertEquals(extended, meta.expiresAtMillis(),
                "the touch (extending the entry to " + extended + ") returned success before computeIfPresent's CAS, " +
                "yet the entry now expires at " + meta.expiresAtMillis());

            clock.update(shortExpiry + 1);
            assertNotNull(cache.get(key), "the key, touched to live until " + extended + ", expired at the old expiry");
        }
    }

    @ParameterizedTest(name = "shards={0}")
    @ValueSource(ints = {1, 4})
    void everyTransformingWriteKeepsATouchMadeAfterItsRead(final int shards)
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(START);
        try (FerriteCache cache = FerriteCache.create(new CacheConfig().capacityBytes(4 << 20).shards(shards).clock(clock)))
        {
            final FerriteMap<String, String> map = cache.asMap(Codecs.STRING, Codecs.STRING);
            final byte[] key = "k".getBytes(StandardCharsets.UTF_8);
            long touchedTo = START + 1_000;
            cache.put(key, "v".getBytes(StandardCharsets.UTF_8), touchedTo);
            final EntryMeta meta = new EntryMeta();
            // Each touch runs inside the function, between the map's read and its compare-and-set.
            final long[] next = {touchedTo};
            final java.util.function.BiFunction<String, String, String> touching = (k, v) ->
            {
                next[0] += 1_000;
                assertTrue(cache.touch(key, next[0]) > 0);
                return v + "+";
            };
            map.compute("k", touching);
            cache.get(key, meta);
            assertEquals(next[0], meta.expiresAtMillis(), "compute");
            map.computeIfPresent("k", touching);
            cache.get(key, meta);
            assertEquals(next[0], meta.expiresAtMillis(), "computeIfPresent");
            map.merge("k", "x", touching);
            cache.get(key, meta);
            assertEquals(next[0], meta.expiresAtMillis(), "merge");
            map.replaceAll(touching);
            cache.get(key, meta);
            assertEquals(next[0], meta.expiresAtMillis(), "replaceAll");
            assertEquals("x++", map.get("k")); // merge's function gets (old value, "x")
        }
    }

    @Test
    void theKeepingModeTakesTheExpiryOfTheVersionItReplaces()
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(START);
        try (FerriteCache cache = FerriteCache.create(new CacheConfig().capacityBytes(4 << 20).shards(1).clock(clock)))
        {
            final UnsafeBuffer key = new UnsafeBuffer("k".getBytes(StandardCharsets.UTF_8));
            final UnsafeBuffer value = new UnsafeBuffer("v2".getBytes(StandardCharsets.UTF_8));
            final long first = cache.put(key, 0, 1, value, 0, 1, START + 5_000);
            final EntryMeta meta = new EntryMeta();
            assertEquals(Status.VERSION_MISMATCH,
                cache.put(key, 0, 1, value, 0, 2, 0, Store.PUT_IF_VERSION_KEEPING_EXPIRY, first + 1, meta));
            assertEquals(first, meta.version(), "a refusal reports the version found");
            final long second = cache.put(key, 0, 1, value, 0, 2, 0, Store.PUT_IF_VERSION_KEEPING_EXPIRY, first, null);
            assertTrue(second > first);
            cache.get("k".getBytes(StandardCharsets.UTF_8), meta);
            assertEquals(START + 5_000, meta.expiresAtMillis(), "the argument (0: never) is ignored; the old expiry stays");
            assertEquals(second, meta.version());
            clock.update(START + 5_000);
            assertNull(cache.get("k".getBytes(StandardCharsets.UTF_8)), "and it still expires then");
            assertEquals(Status.MISS, cache.put(key, 0, 1, value, 0, 2, 0, Store.PUT_IF_VERSION_KEEPING_EXPIRY, second, null));
        }
    }
}
