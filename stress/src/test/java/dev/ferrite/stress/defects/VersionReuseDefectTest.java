package dev.ferrite.stress.defects;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.FerriteCache;
import dev.ferrite.engine.Status;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Regression test for engine defect 3, now fixed: a key removed and written again within the same clock millisecond gets the very
 * version it had before, so a client holding the old version wins a compareAndSet against the new,
 * unrelated entry (ABA). {@code Store.nextVersion} documents the opposite ("a key removed and
 * written again does not reuse a version a client may still hold"): versions are
 * {@code max(old + 1, millis << 20)}, and after a remove that unlinks the key there is no old
 * version, so the result is {@code millis << 20} again. Deterministic with a manual clock; with the
 * system clock it needs put, remove and put inside one millisecond, which a tight loop does.
 *
 */
class VersionReuseDefectTest
{
    private static final byte[] KEY = "k".getBytes(StandardCharsets.US_ASCII);

    @Test
    void shouldNotReuseAVersionAfterRemoveWithinTheSameMillisecond()
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(1_000);
        try (FerriteCache cache = FerriteCache.create(new CacheConfig().capacityBytes(1 << 20).clock(clock)))
        {
            final long first = cache.put(KEY, new byte[]{1});
            assertEquals(first, cache.remove(KEY));
            final long second = cache.put(KEY, new byte[]{2});
            assertNotEquals(first, second, "the re-created entry got the removed entry's version");
            assertEquals(Status.VERSION_MISMATCH, cache.compareAndSet(KEY, new byte[]{3}, 0, first),
                "a compareAndSet with the removed entry's version must not succeed on the new entry");
        }
    }
}
