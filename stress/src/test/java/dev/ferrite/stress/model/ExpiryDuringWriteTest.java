package dev.ferrite.stress.model;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.CacheStats;
import dev.ferrite.engine.FerriteCache;
import dev.ferrite.engine.Status;
import dev.ferrite.engine.core.StallInjection;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A write that found its entry live and then, before its index CAS, outlived the entry's expiry must
 * not apply itself to it: a read in between saw the entry expired, and the key would come back (a
 * history no order of the operations explains). Each case stops the writer right before its CAS,
 * moves the clock past the expiry, reads the key from another thread (a miss), and lets the writer
 * go on: it must answer as for an expired entry, and the key must stay gone. Found by review; before
 * the fix touch returned the version and the value came back.
 */
@EnabledIfSystemProperty(named = StallInjection.ENABLED_PROP_NAME, matches = "true") // the stall-injection execution only
class ExpiryDuringWriteTest
{
    private static final long NOW = 1_000;
    private static final long EXPIRES_AT = 1_010;
    private static final long LATER = 1_020;
    private static final byte[] KEY = "expiring".getBytes(StandardCharsets.US_ASCII);

    private final CachedEpochClock clock = new CachedEpochClock();

    @AfterEach
    void removePlan()
    {
        StallInjection.install(null);
    }

    @Test
    void shouldNotTouchAnEntryThatExpiredBeforeTheTouchLinked() throws Exception
    {
        play(StallInjection.COPY_BEFORE_LINK, cache -> cache.touch(KEY, 9_000));
    }

    @Test
    void shouldNotReplaceAnEntryThatExpiredBeforeTheReplaceLinked() throws Exception
    {
        play(StallInjection.PUT_BEFORE_LINK, cache -> cache.replace(KEY, new byte[]{2}, 0));
    }

    @Test
    void shouldNotCompareAndSetAnEntryThatExpiredBeforeTheWriteLinked() throws Exception
    {
        play(StallInjection.PUT_BEFORE_LINK, cache -> cache.compareAndSet(KEY, new byte[]{2}, 0, versionOfKey));
    }

    @Test
    void shouldRemoveAnEntryThatExpiredBeforeTheRemoveLinkedAsExpired() throws Exception
    {
        final CacheStats stats = play(StallInjection.REMOVE_BEFORE_LINK, cache -> cache.remove(KEY));
        assertEquals(0, stats.entries(), stats.toString());
        assertEquals(1, stats.expirations(), "counted as an expiry, not a remove: " + stats);
        assertEquals(0, stats.removes(), stats.toString());
    }

    private long versionOfKey;

    private CacheStats play(final int point, final ToLongFunction<FerriteCache> write) throws Exception
    {
        assertTrue(StallInjection.ENABLED, "run with -D" + StallInjection.ENABLED_PROP_NAME + "=true (stress/pom.xml sets it)");
        clock.update(NOW);
        try (FerriteCache cache = FerriteCache.create(new CacheConfig().capacityBytes(1 << 20).clock(clock)))
        {
            versionOfKey = cache.put(KEY, new byte[]{1}, EXPIRES_AT);
            assertTrue(versionOfKey > 0);

            final Thread writer = Thread.currentThread();
            final AtomicBoolean stopped = new AtomicBoolean();
            final AtomicReference<byte[]> readMeanwhile = new AtomicReference<>(new byte[0]);
            StallInjection.install(reached ->
            {
                if (reached == point && Thread.currentThread() == writer && stopped.compareAndSet(false, true))
                {
                    // Stopped right before its index CAS: the entry expires, and a reader sees it gone.
                    clock.update(LATER);
                    final Thread reader = new Thread(() -> readMeanwhile.set(cache.get(KEY)), "reader");
                    reader.start();
                    try
                    {
                        reader.join();
                    }
                    catch (final InterruptedException e)
                    {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            final long result = write.applyAsLong(cache);
            StallInjection.install(null);

            assertTrue(stopped.get(), "the write never reached " + StallInjection.name(point));
            assertTrue(readMeanwhile.get() == null, "the entry had expired when the reader looked");
            assertEquals(Status.MISS, result, "the write answered " + Status.describe(result) + " for an entry that had expired before it linked");
            assertTrue(cache.get(KEY) == null, "the expired key came back");
            return cache.stats();
        }
    }
}
