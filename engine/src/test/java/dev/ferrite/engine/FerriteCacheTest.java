package dev.ferrite.engine;

import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.ferrite.engine.CacheMatrix.value;
import static org.junit.jupiter.api.Assertions.*;

/** Every operation over the configuration matrix. */
class FerriteCacheTest
{
    /**
     * The byte[] API's per-thread buffers wrap the caller's arrays only for the call, and a large
     * value is read straight into its result: after the calls nothing of the caller's stays reachable
     * from the cache (found by review: a 900 KB value stayed reachable after close).
     */
    @org.junit.jupiter.api.Test
    void shouldNotKeepTheCallersArraysReachableAfterTheByteArrayCalls() throws Exception
    {
        try (FerriteCache cache = FerriteCache.create(new CacheConfig().capacityBytes(16 << 20)))
        {
            byte[] key = "large".getBytes();
            byte[] value = new byte[900_000];
            value[899_999] = 7;
            cache.put(key, value);
            byte[] read = cache.get(key);
            assertEquals(7, read[899_999]);
            assertTrue(cache.containsKey(key));
            final java.lang.ref.WeakReference<byte[]> keyRef = new java.lang.ref.WeakReference<>(key);
            final java.lang.ref.WeakReference<byte[]> valueRef = new java.lang.ref.WeakReference<>(value);
            final java.lang.ref.WeakReference<byte[]> readRef = new java.lang.ref.WeakReference<>(read);
            key = null;
            value = null;
            read = null;
            for (int attempt = 0; attempt < 50 && (keyRef.get() != null || valueRef.get() != null || readRef.get() != null); attempt++)
            {
                System.gc();
                Thread.sleep(10);
            }
            assertNull(keyRef.get(), "the key array is still reachable");
            assertNull(valueRef.get(), "the value array is still reachable");
            assertNull(readRef.get(), "the array get returned is still reachable");
            assertEquals(900_000, cache.get("large".getBytes()).length);
        }
    }

    static List<CacheMatrix.Case> cases()
    {
        return CacheMatrix.cases();
    }

    static byte[] key(final String name)
    {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldReturnWhatWasPutAndMissAfterRemove(final CacheMatrix.Case c)
    {
        try (FerriteCache cache = c.create(CacheMatrix.clock()))
        {
            final byte[] v = value(c.valueBytes(), 1);
            assertNull(cache.get(key("k")));
            final long version = cache.put(key("k"), v);
            assertTrue(version > 0);
            final EntryMeta meta = new EntryMeta();
            assertArrayEquals(v, cache.get(key("k"), meta));
            assertEquals(version, meta.version());
            assertEquals(v.length, meta.valueLength());
            assertEquals(0, meta.expiresAtMillis());
            assertTrue(cache.containsKey(key("k")));
            assertEquals(1, cache.size());
            assertEquals(version, cache.remove(key("k")));
            assertNull(cache.get(key("k")));
            assertFalse(cache.containsKey(key("k")));
            assertEquals(Status.MISS, cache.remove(key("k")));
            assertEquals(0, cache.size());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldIncreaseVersionOnEveryWrite(final CacheMatrix.Case c)
    {
        try (FerriteCache cache = c.create(CacheMatrix.clock()))
        {
            long last = 0;
            for (int i = 0; i < 5; i++)
            {
                final long version = cache.put(key("k"), value(c.valueBytes(), i));
                assertTrue(version > last, "version " + version + " after " + last);
                last = version;
            }
            cache.remove(key("k"));
            final long recreated = cache.put(key("k"), value(c.valueBytes(), 9));
            assertNotEquals(last, recreated, "a re-created key must not reuse its last version");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldHonourConditionalWrites(final CacheMatrix.Case c)
    {
        try (FerriteCache cache = c.create(CacheMatrix.clock()))
        {
            final byte[] a = value(c.valueBytes(), 1);
            final byte[] b = value(c.valueBytes(), 2);
            assertEquals(Status.MISS, cache.replace(key("k"), a, 0));
            assertNull(cache.get(key("k")));
            final long v1 = cache.putIfAbsent(key("k"), a, 0);
            assertTrue(v1 > 0);
            assertEquals(Status.EXISTS, cache.putIfAbsent(key("k"), b, 0));
            assertArrayEquals(a, cache.get(key("k")));
            final long v2 = cache.replace(key("k"), b, 0);
            assertTrue(v2 > v1);
            assertArrayEquals(b, cache.get(key("k")));
            assertEquals(Status.VERSION_MISMATCH, cache.compareAndSet(key("k"), a, 0, v1));
            assertArrayEquals(b, cache.get(key("k")));
            final long v3 = cache.compareAndSet(key("k"), a, 0, v2);
            assertTrue(v3 > v2);
            assertArrayEquals(a, cache.get(key("k")));
            assertEquals(Status.MISS, cache.compareAndSet(key("absent"), a, 0, v3));

            final UnsafeBuffer k = new UnsafeBuffer(key("k"));
            assertEquals(Status.VERSION_MISMATCH, cache.remove(k, 0, k.capacity(), v2));
            assertArrayEquals(a, cache.get(key("k")));
            assertEquals(v3, cache.remove(k, 0, k.capacity(), v3));
            assertNull(cache.get(key("k")));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldExpireEntriesAndExtendThemOnTouch(final CacheMatrix.Case c)
    {
        final CachedEpochClock clock = CacheMatrix.clock();
        try (FerriteCache cache = c.create(clock))
        {
            final long now = clock.time();
            final byte[] v = value(c.valueBytes(), 3);
            final long version = cache.put(key("ttl"), v, now + 1000);
            cache.put(key("forever"), v, 0);
            final EntryMeta meta = new EntryMeta();
            assertArrayEquals(v, cache.get(key("ttl"), meta));
            assertEquals(now + 1000, meta.expiresAtMillis());

            clock.update(now + 999);
            assertNotNull(cache.get(key("ttl")));
            assertEquals(version, cache.touch(key("ttl"), now + 5000), "touch keeps the version");
            clock.update(now + 4999);
            assertArrayEquals(v, cache.get(key("ttl"), meta));
            assertEquals(now + 5000, meta.expiresAtMillis());
            clock.update(now + 5000);
            assertNull(cache.get(key("ttl")), "expired at its expiry instant");
            assertFalse(cache.containsKey(key("ttl")));
            assertEquals(Status.MISS, cache.touch(key("ttl"), now + 9000));
            assertEquals(Status.MISS, cache.remove(key("ttl")));
            assertTrue(cache.putIfAbsent(key("ttl"), v, 0) > 0, "an expired key counts as absent");
            assertNotNull(cache.get(key("forever")));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldCopyIntoCallerBufferWithoutAllocatingAndReportTooSmall(final CacheMatrix.Case c)
    {
        try (FerriteCache cache = c.create(CacheMatrix.clock()))
        {
            final byte[] v = value(c.valueBytes(), 4);
            final UnsafeBuffer k = new UnsafeBuffer(key("buffer-key"));
            final UnsafeBuffer valueBuffer = new UnsafeBuffer(v);
            assertTrue(cache.put(k, 0, k.capacity(), valueBuffer, 0, v.length, 0) > 0);

            final EntryMeta meta = new EntryMeta();
            final UnsafeBuffer small = new UnsafeBuffer(new byte[v.length - 1 + 4]);
            assertEquals(Status.BUFFER_TOO_SMALL, cache.get(k, 0, k.capacity(), small, 5, meta));
            assertEquals(v.length, meta.valueLength(), "the needed length is reported");

            final ExpandableArrayBuffer destination = new ExpandableArrayBuffer(v.length + 16);
            assertEquals(v.length, cache.get(k, 0, k.capacity(), destination, 16, meta));
            final byte[] read = new byte[v.length];
            destination.getBytes(16, read);
            assertArrayEquals(v, read);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldScanEveryLiveEntryOnceAndFilterByRoutingSlot(final CacheMatrix.Case c)
    {
        try (FerriteCache cache = c.create(CacheMatrix.clock()))
        {
            final int count = c.valueBytes() > 1024 ? 8 : 500;
            for (int i = 0; i < count; i++)
            {
                cache.put(key("key-" + i), value(c.valueBytes(), i));
            }
            cache.remove(key("key-0"));
            cache.put(key("key-1"), value(c.valueBytes(), 99));
            final Set<String> seen = new HashSet<>();
            cache.scan((k, ko, kl, v, vo, vl, version, expires) ->
            {
                final byte[] bytes = new byte[kl];
                k.getBytes(ko, bytes);
                assertTrue(seen.add(new String(bytes, StandardCharsets.UTF_8)), "visited twice");
                return true;
            });
            assertEquals(count - 1, seen.size());
            assertFalse(seen.contains("key-0"));

            // {tag} keys share a routing slot: exactly those come back from scanSlot.
            cache.put(key("{user42}.name"), value(8, 1));
            cache.put(key("{user42}.mail"), value(8, 2));
            final int slot = dev.ferrite.engine.hash.RoutingSlot.slot(new UnsafeBuffer(key("user42")), 0, 6);
            final Set<String> inSlot = new HashSet<>();
            cache.scanSlot(slot, (k, ko, kl, v, vo, vl, version, expires) ->
            {
                final byte[] bytes = new byte[kl];
                k.getBytes(ko, bytes);
                inSlot.add(new String(bytes, StandardCharsets.UTF_8));
                return true;
            });
            assertTrue(inSlot.containsAll(Set.of("{user42}.name", "{user42}.mail")), inSlot.toString());
            for (final String name : inSlot)
            {
                assertEquals(slot, dev.ferrite.engine.hash.RoutingSlot.slot(new UnsafeBuffer(key(name)), 0, name.length()));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldCountOperationsInStats(final CacheMatrix.Case c)
    {
        try (FerriteCache cache = c.create(CacheMatrix.clock()))
        {
            cache.put(key("a"), value(c.valueBytes(), 1));
            cache.get(key("a"));
            cache.get(key("b"));
            cache.remove(key("a"));
            final CacheStats stats = cache.stats();
            assertEquals(1, stats.hits());
            assertEquals(1, stats.misses());
            assertEquals(1, stats.puts());
            assertEquals(1, stats.removes());
            assertEquals(0, stats.entries());
            assertTrue(stats.allocatedBytes() <= stats.capacityBytes());
            assertEquals(0.5, stats.hitRatio(), 1e-9);
        }
    }
}
