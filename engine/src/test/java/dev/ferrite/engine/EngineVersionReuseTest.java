package dev.ferrite.engine;

import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A key removed and written again must not get a version it had before, even within one
 * millisecond: otherwise a compare-and-set holding the old version would succeed against a
 * different value (ABA), breaking FerriteMap's replace(k, old, new), remove(k, v), compute and
 * merge. A fixed clock puts every write in the same millisecond.
 */
class EngineVersionReuseTest
{
    private static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldNotReuseVersionAfterRemoveAndRewrite()
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(1_000_000);
        try (FerriteCache cache = FerriteCache.create(new CacheConfig().capacityBytes(1 << 20).clock(clock)))
        {
            final long readVersion = cache.put(bytes("k"), bytes("a"));
            assertTrue(cache.remove(bytes("k")) > 0);
            final long rewrittenVersion = cache.put(bytes("k"), bytes("b"));
            assertNotEquals(readVersion, rewrittenVersion, "a rewritten key must not get its old version back");
            assertEquals(Status.VERSION_MISMATCH,
                cache.compareAndSet(bytes("k"), bytes("c"), 0, readVersion),
                "a CAS holding the version read before the remove must fail");
            assertArrayEquals(bytes("b"), cache.get(bytes("k")));
        }
    }

    @Test
    void shouldNotReuseVersionAfterEviction()
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(1_000_000);
        try (FerriteCache cache = FerriteCache.create(new CacheConfig().capacityBytes(1 << 20).clock(clock)))
        {
            final long firstVersion = cache.put(bytes("k"), bytes("a"));
            for (int i = 0; cache.containsKey(bytes("k")); i++) // containsKey does not count as a use
            {
                cache.put(bytes("filler" + i), new byte[200]); // never read, so "k" ages out
                assertTrue(i < 100_000, "k was never evicted");
            }
            final long rewrittenVersion = cache.put(bytes("k"), bytes("b"));
            assertTrue(rewrittenVersion > firstVersion, "re-created after eviction: " + rewrittenVersion + " vs " + firstVersion);
        }
    }
}
