package dev.ferrite.engine;

import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

/**
 * ENGINE BUG (found while building FerriteMap; not fixed here, the lead owns core.Store).
 *
 * <p>A key removed by unlinking its only record, then written again, restarts its version from
 * {@code Store.nextVersion(0) = clock.time() << 20}: within the same millisecond that is the
 * version it had before. A compare-and-set (or remove-if-version) holding the old version then
 * succeeds against a different value: the ABA problem the version exists to prevent. It breaks the
 * atomicity of FerriteMap's replace(k, old, new), remove(k, v), compute and merge when another
 * thread removes and re-adds the key within one millisecond (eviction followed by a re-insert
 * does the same). A fix: a per-store monotonic version source, e.g. max(old + 1, clock << 20,
 * lastIssued + 1) from one AtomicLong, or a version kept in the unlinked slot's place.
 *
 * <p>Disabled so the build stays green. To reproduce (it fails with the fixed clock below):
 * {@code mvn -B -pl engine test -Dtest=EngineVersionReuseTest -Djunit.jupiter.conditions.deactivate='org.junit.*DisabledCondition'}
 */
class EngineVersionReuseTest
{
    private static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @Disabled("ENGINE BUG: a removed-then-rewritten key reuses its version within one millisecond (ABA)")
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
}
