package dev.ferrite.engine;

import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.function.IntToLongFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Found by review: with eviction off, a store whose entries had all expired refused every new key
 * with FULL, for good. Reclaim drops expired records when it walks a segment (Reclaimer.processRecord counts them
 * as expirations), but with eviction off reclaimHead refuses to walk at all while the garbage
 * estimate is 0 (Reclaimer.java:393), and that estimate counts only superseded records and
 * tombstones, never expired ones. So space held by expired entries never comes back, the entries
 * statistic keeps counting them, and the write fails although nothing live would have to go.
 */
class EvictionOffExpiredSpaceTest
{
    private static final long START = 1_000_000;
    private static final int VALUE_BYTES = 200;

    @ParameterizedTest(name = "shards={0}")
    @ValueSource(ints = {1, 4})
    void shouldReuseTheSpaceOfExpiredEntriesWithEvictionOff(final int shards)
    {
        final CachedEpochClock clock = clockAtStart();
        try (FerriteCache cache = evictionOffCache(clock, shards))
        {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[32]);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[VALUE_BYTES]);

            // Fill every shard with entries that expire 10 ms from now, until 100 fresh keys in a row are refused.
            final int written = fillUntilFull(cache, key, value, "session:", i -> START + 10);
            final CacheStats full = cache.stats();

            clock.update(START + 1_000); // every entry has expired: none is live any more
            int refused = 0;
            for (int i = 0; i < 100; i++)
            {
                final int length = key.putStringWithoutLengthAscii(0, "fresh:" + i);
                final long result = cache.put(key, 0, length, value, 0, VALUE_BYTES, 0);
                if (result == Status.FULL)
                {
                    refused++;
                }
            }
            final CacheStats after = cache.stats();
            final int refusedFinal = refused;
            assertEquals(0, refusedFinal, () -> refusedFinal + " of 100 writes of new keys were refused FULL although all " +
                written + " entries in the store had expired; when full: " + full + "; now: " + after);
            assertTrue(after.expirations() > 0, () -> "no expiration counted: " + after);
        }
    }

    /** Expiries still ahead free nothing: a full store answers FULL at once (no compaction), until they pass. */
    @ParameterizedTest(name = "shards={0}")
    @ValueSource(ints = {1, 4})
    void shouldCompactOnlyOnceAnExpiryHasPassed(final int shards)
    {
        final CachedEpochClock clock = clockAtStart();
        try (FerriteCache cache = evictionOffCache(clock, shards))
        {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[32]);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[VALUE_BYTES]);
            // Every fourth entry expires in 60 s, the rest never.
            final int written = fillUntilFull(cache, key, value, "k:", i -> i % 4 == 0 ? START + 60_000 : 0);
            final long relocationsWhenFull = cache.stats().relocations();
            for (int i = 0; i < 100; i++)
            {
                final int length = key.putStringWithoutLengthAscii(0, "early:" + i);
                assertEquals(Status.FULL, cache.put(key, 0, length, value, 0, VALUE_BYTES, 0));
            }
            assertEquals(relocationsWhenFull, cache.stats().relocations(), "refusals compacted though nothing had expired");

            clock.update(START + 60_000);
            int stored = 0;
            for (int i = 0; i < written / 8; i++)
            {
                final int length = key.putStringWithoutLengthAscii(0, "late:" + i);
                if (cache.put(key, 0, length, value, 0, VALUE_BYTES, 0) > 0)
                {
                    stored++;
                }
            }
            assertEquals(written / 8, stored, "an eighth of the entries fit in the room of the quarter that expired");
            final UnsafeBuffer destination = new UnsafeBuffer(new byte[VALUE_BYTES]);
            assertEquals(Status.MISS, cache.get(key, 0, key.putStringWithoutLengthAscii(0, "k:0"), destination, 0, null),
                "an expired entry stays absent");
            assertEquals(VALUE_BYTES, cache.get(key, 0, key.putStringWithoutLengthAscii(0, "k:1"), destination, 0, null),
                "an entry that never expires stays");
        }
    }

    /**
     * The keeping mode's expiry argument is ignored; it was noted all the same, so a segment kept an
     * expiry no record carried and, once it passed, one refused write compacted most of the store
     * (review: 697 of 884 records relocated).
     */
    @Test
    void aKeepingWriteLeavesNoNoteOfTheIgnoredExpiry()
    {
        final CachedEpochClock clock = clockAtStart();
        try (FerriteCache cache = evictionOffCache(clock, 1))
        {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[32]);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[VALUE_BYTES]);
            int length = key.putStringWithoutLengthAscii(0, "k");
            final long v1 = cache.put(key, 0, length, value, 0, VALUE_BYTES, 0);
            for (int i = 0; i < 700; i++)
            {
                final int l = key.putStringWithoutLengthAscii(0, "fill:" + i);
                assertTrue(cache.put(key, 0, l, value, 0, VALUE_BYTES, 0) > 0);
            }
            length = key.putStringWithoutLengthAscii(0, "k");
            assertTrue(cache.put(key, 0, length, value, 0, VALUE_BYTES, START + 10,
                dev.ferrite.engine.core.Store.PUT_IF_VERSION_KEEPING_EXPIRY, v1, null) > v1);
            fillUntilFull(cache, key, value, "more:", i -> 0);
            final long relocationsWhenFull = cache.stats().relocations();
            clock.update(START + 20); // no entry in the store has an expiry at all
            final int l = key.putStringWithoutLengthAscii(0, "late");
            assertEquals(Status.FULL, cache.put(key, 0, l, value, 0, VALUE_BYTES, 0));
            assertEquals(relocationsWhenFull, cache.stats().relocations(), "a refused write compacted the store");
        }
    }

    private static FerriteCache evictionOffCache(final CachedEpochClock clock, final int shards)
    {
        return FerriteCache.create(new CacheConfig()
            .capacityBytes(shards == 1 ? 256 << 10 : 1 << 20).segmentBytes(4096)
            .evictionEnabled(false).shards(shards).clock(clock));
    }

    private static CachedEpochClock clockAtStart()
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(START);
        return clock;
    }

    /**
     * Writes keys {@code prefix + i} with the expiry {@code expiryOf(i)} until 100 in a row are refused
     * (each refusal must be FULL).
     *
     * @return the keys written.
     */
    private static int fillUntilFull(
        final FerriteCache cache, final UnsafeBuffer key, final UnsafeBuffer value, final String prefix,
        final IntToLongFunction expiryOf)
    {
        int written = 0;
        int refusedInARow = 0;
        for (int i = 0; refusedInARow < 100; i++)
        {
            final int length = key.putStringWithoutLengthAscii(0, prefix + i);
            final long result = cache.put(key, 0, length, value, 0, VALUE_BYTES, expiryOf.applyAsLong(i));
            if (result > 0)
            {
                written++;
                refusedInARow = 0;
            }
            else
            {
                assertEquals(Status.FULL, result);
                refusedInARow++;
            }
        }
        return written;
    }
}
