package dev.ferrite.engine.core;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.Status;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Versions at the top of the range (only the general put's restore mode writes them there): every
 * version after one stops at Long.MAX_VALUE instead of wrapping (found by review: a remove of a key
 * at Long.MAX_VALUE wrote a tombstone of Long.MIN_VALUE, which every restore then beat).
 */
class VersionAtTheTopTest
{
    private static final long T = 1_000_000;

    private static Store store()
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(T);
        return new Store(new CacheConfig().capacityBytes(8 << 20).segmentBytes(4096).shards(1).clock(clock));
    }

    private static long put(final Store store, final String k, final long expiry, final int mode, final long version)
    {
        final UnsafeBuffer key = new UnsafeBuffer(new byte[64]);
        final int length = key.putStringWithoutLengthAscii(0, k);
        final UnsafeBuffer value = new UnsafeBuffer(new byte[16]);
        return store.put(key, 0, length, value, 0, value.capacity(), expiry, mode, version, null);
    }

    private static long remove(final Store store, final String k)
    {
        final UnsafeBuffer key = new UnsafeBuffer(new byte[64]);
        final int length = key.putStringWithoutLengthAscii(0, k);
        return store.remove(key, 0, length, 0);
    }

    /**
     * A remove of an entry at Long.MAX_VALUE writes a tombstone of version + 1 = Long.MIN_VALUE
     * (Store.java:1067; retireVersion(version + 1) at :1047 raises nothing). The "newer remove" then
     * loses to every restore: a stale restore brings a removed key back, and the next put's version
     * wraps below MAX_VALUE, so a stale restore wins over that put: the bug the commit says it fixed.
     */
    @Test
    void removeOfAKeyAtTheTopVersionMustStillWinOverAStaleRestore()
    {
        try (Store store = store())
        {
            assertEquals(Long.MAX_VALUE, put(store, "k", 0, Store.PUT_RESTORE, Long.MAX_VALUE));
            assertEquals(Long.MAX_VALUE, remove(store, "k"));
            // A restore from an older snapshot (any version): the remove is newer, so it must be refused.
            final long staleRestore = put(store, "k", 0, Store.PUT_RESTORE, 5);
            assertEquals(Status.VERSION_MISMATCH, staleRestore,
                "a stale restore after the remove of a key at version MAX_VALUE brought the key back: " + Status.describe(staleRestore));
        }
    }

    @Test
    void putAfterRemoveOfAKeyAtTheTopVersionMustNotWrapBelowIt()
    {
        try (Store store = store())
        {
            assertEquals(Long.MAX_VALUE, put(store, "k", 0, Store.PUT_RESTORE, Long.MAX_VALUE));
            assertEquals(Long.MAX_VALUE, remove(store, "k"));
            final long next = put(store, "k", 0, Store.PUT_ALWAYS, 0);
            assertEquals(Long.MAX_VALUE, next, "the put after the remove got a version below the removed one's");
            final long staleRestore = put(store, "k", 0, Store.PUT_RESTORE, Long.MAX_VALUE - 1);
            assertEquals(Status.VERSION_MISMATCH, staleRestore, "a stale restore won over the newer put");
        }
    }

}
