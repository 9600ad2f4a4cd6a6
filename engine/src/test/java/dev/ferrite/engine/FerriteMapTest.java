package dev.ferrite.engine;

import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** Single-threaded behaviour of {@link FerriteMap} beyond what the Guava conformance suite checks. */
class FerriteMapTest
{
    private FerriteCache cache;

    private FerriteMap<String, String> newMap(final CacheConfig config)
    {
        cache = FerriteCache.create(config);
        return cache.asMap(Codecs.STRING, Codecs.STRING);
    }

    private FerriteMap<String, String> newMap()
    {
        return newMap(new CacheConfig().capacityBytes(4 << 20).evictionEnabled(false));
    }

    @AfterEach
    void close()
    {
        if (cache != null)
        {
            cache.close();
        }
    }

    /** A function that writes the key it computes would make compute retry for ever: it throws, as in ConcurrentHashMap. */
    @Test
    void shouldRefuseAFunctionThatWritesTheKeyItIsComputing()
    {
        // Bounded: without the check each of these retries for ever.
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), this::refuseFunctionsThatWriteTheKeyTheyCompute);
    }

    private void refuseFunctionsThatWriteTheKeyTheyCompute()
    {
        final FerriteMap<String, String> map = newMap();
        map.put("a", "1");
        assertThrows(IllegalStateException.class, () -> map.compute("a", (k, v) ->
        {
            map.put("a", "x");
            return "y";
        }));
        assertThrows(IllegalStateException.class, () -> map.computeIfPresent("a", (k, v) ->
        {
            map.remove("a");
            return "y";
        }));
        assertThrows(IllegalStateException.class, () -> map.merge("a", "2", (v1, v2) ->
        {
            map.replace("a", "z");
            return v1 + v2;
        }));
        assertThrows(IllegalStateException.class, () -> map.computeIfAbsent("b", k ->
        {
            map.putIfAbsent("b", "x");
            return "y";
        }));
        assertThrows(IllegalStateException.class, () -> map.replaceAll((k, v) ->
        {
            map.put(k, "x");
            return "y";
        }));
        assertEquals(Map.of("a", "1"), map, "nothing written by the refused operations");

        // Other keys, reads of the same key, and the scratch levels after a refusal all still work.
        assertEquals("1+", map.compute("a", (k, v) ->
        {
            map.put("c", map.get("a"));
            return map.compute("d", (k2, v2) -> "4") + v + "+";
        }).substring(1));
        assertEquals(Map.of("a", "41+", "c", "1", "d", "4"), map);
    }

    /** The Map contract lets a query throw only ClassCastException and NullPointerException. */
    @Test
    void shouldAnswerQueriesForAKeyItsCodecCannotEncodeAsAbsent()
    {
        final FerriteMap<String, String> map = newMap();
        map.put("a", "1");
        final String unencodable = "\uD800"; // an unpaired surrogate: the UTF-8 codec refuses it
        assertThrows(IllegalArgumentException.class, () -> map.put(unencodable, "1"), "a write may refuse it");
        assertNull(map.get(unencodable));
        assertEquals("d", map.getOrDefault(unencodable, "d"));
        assertFalse(map.containsKey(unencodable));
        assertNull(map.remove(unencodable));
        assertFalse(map.remove(unencodable, "1"));
        assertFalse(map.keySet().contains(unencodable));
        assertFalse(map.entrySet().contains(Map.entry(unencodable, "1")));
        assertNotEquals(new HashMap<>(Map.of(unencodable, "1")), map);
        assertNotEquals(map, new HashMap<>(Map.of(unencodable, "1")));
        assertEquals(Map.of("a", "1"), map);
    }

    /** An entry its codec cannot decode fails iteration, each time, without returning the entries before it twice. */
    @Test
    void shouldNotReturnAnEntryTwiceWhenACodecFailsPartWayThroughABatch()
    {
        cache = FerriteCache.create(new CacheConfig().capacityBytes(1 << 20).indexSlots(1).evictionEnabled(false));
        final FerriteMap<String, Long> map = cache.asMap(Codecs.STRING, Codecs.LONG);
        cache.put("c".getBytes(StandardCharsets.UTF_8), new byte[3]); // written past the codec: not a long
        map.put("a", 1L);
        map.put("b", 2L);
        final java.util.List<String> seen = new java.util.ArrayList<>();
        int failures = 0;
        final Iterator<String> keys = map.keySet().iterator();
        for (int attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                while (keys.hasNext())
                {
                    seen.add(keys.next());
                }
            }
            catch (final IllegalArgumentException e)
            {
                failures++;
            }
        }
        assertEquals(3, failures, "the undecodable entry fails every attempt");
        assertEquals(new HashSet<>(seen).size(), seen.size(), "keys returned twice: " + seen);
    }

    @Test
    void shouldKeepSizeAndIterationExactAcrossManyScanBatches()
    {
        final FerriteMap<String, String> map = newMap();
        assertTrue(cache.indexSlotCount() > 10 * FerriteMap.SCAN_BATCH_INDEX_SLOTS, "test needs many batches");
        final Map<String, String> model = new HashMap<>();
        for (int i = 0; i < 5000; i++)
        {
            assertNull(map.put("k" + i, "v" + i));
            model.put("k" + i, "v" + i);
        }
        for (int i = 0; i < 5000; i += 3)
        {
            assertEquals("v" + i, map.remove("k" + i));
            model.remove("k" + i);
        }
        for (int i = 1; i < 5000; i += 3)
        {
            assertEquals("v" + i, map.put("k" + i, "w" + i));
            model.put("k" + i, "w" + i);
        }
        assertEquals(model.size(), map.size());
        assertEquals(model, new HashMap<>(map));
        assertEquals(model, map);
        assertEquals(map, model);
        assertEquals(model.hashCode(), map.hashCode());
        assertFalse(map.isEmpty());
        assertTrue(map.containsValue("w4999"));
        assertFalse(map.containsValue("v0"));

        map.clear();
        assertEquals(0, map.size());
        assertTrue(map.isEmpty());
        assertFalse(map.entrySet().iterator().hasNext());
    }

    @Test
    void shouldRemoveThroughIteratorsAndViews()
    {
        final FerriteMap<String, String> map = newMap();
        for (int i = 0; i < 1000; i++)
        {
            map.put("k" + i, "v" + i);
        }
        for (final Iterator<String> keys = map.keySet().iterator(); keys.hasNext(); )
        {
            final String key = keys.next();
            if (Integer.parseInt(key.substring(1)) % 2 == 0)
            {
                keys.remove();
                assertThrows(IllegalStateException.class, keys::remove);
            }
        }
        assertEquals(500, map.size());
        assertNull(map.get("k0"));
        assertEquals("v1", map.get("k1"));

        assertTrue(map.keySet().remove("k1"));
        assertFalse(map.keySet().remove("k1"));
        assertTrue(map.values().remove("v3"));
        assertFalse(map.containsKey("k3"));
        assertFalse(map.entrySet().remove(Map.entry("k5", "wrong")));
        assertTrue(map.entrySet().remove(Map.entry("k5", "v5")));
        assertTrue(map.values().removeIf(v -> v.endsWith("7")));
        assertEquals(0, map.keySet().stream().filter(k -> k.endsWith("7")).count());
        assertEquals(500 - 3 - 100, map.size()); // 100 odd numbers below 1000 end in 7
    }

    @Test
    void shouldWriteThroughEntrySetValue()
    {
        final FerriteMap<String, String> map = newMap();
        map.put("a", "1");
        map.put("b", "2");
        for (final Map.Entry<String, String> entry : map.entrySet())
        {
            assertEquals(entry.getValue(), entry.setValue(entry.getValue() + "!"));
            assertEquals(map.get(entry.getKey()), entry.getValue());
            assertThrows(NullPointerException.class, () -> entry.setValue(null));
        }
        assertEquals(Map.of("a", "1!", "b", "2!"), map);
        map.replaceAll((k, v) -> k + v);
        assertEquals(Map.of("a", "a1!", "b", "b2!"), map);
        assertThrows(NullPointerException.class, () -> map.replaceAll((k, v) -> null));
    }

    @Test
    void shouldRejectNullKeysValuesAndFunctions()
    {
        final FerriteMap<String, String> map = newMap();
        map.put("a", "1");
        assertThrows(NullPointerException.class, () -> map.get(null));
        assertThrows(NullPointerException.class, () -> map.containsKey(null));
        assertThrows(NullPointerException.class, () -> map.containsValue(null));
        assertThrows(NullPointerException.class, () -> map.put(null, "1"));
        assertThrows(NullPointerException.class, () -> map.put("a", null));
        assertThrows(NullPointerException.class, () -> map.putIfAbsent("b", null));
        assertThrows(NullPointerException.class, () -> map.remove(null));
        assertThrows(NullPointerException.class, () -> map.replace("a", null));
        assertThrows(NullPointerException.class, () -> map.replace("a", "1", null));
        assertThrows(NullPointerException.class, () -> map.merge("a", null, (x, y) -> x));
        assertThrows(NullPointerException.class, () -> map.compute("a", null));
        assertFalse(map.remove("a", null));
        assertEquals(Map.of("a", "1"), map);
    }

    @Test
    void shouldThrowIllegalArgumentForOversizedKeyOrValue()
    {
        final FerriteMap<String, String> map = newMap(new CacheConfig().capacityBytes(4 << 20)
            .maxKeyLength(16).maxValueLength(32));
        final String longKey = "k".repeat(17);
        assertThrows(IllegalArgumentException.class, () -> map.put(longKey, "v"));
        assertThrows(IllegalArgumentException.class, () -> map.put("k", "v".repeat(33)));
        map.put("k", "v");
        assertThrows(IllegalArgumentException.class, () -> map.replace("k", "v".repeat(33)));
        assertThrows(IllegalArgumentException.class, () -> map.merge("k", "v".repeat(33), (a, b) -> b));
        assertEquals("v", map.get("k"));
        assertNull(map.get(longKey), "a key too long to store is simply absent");
        assertFalse(map.containsKey(longKey));
        assertNull(map.remove(longKey));
    }

    @Test
    void shouldThrowIllegalStateWhenFullWithEvictionOff()
    {
        final FerriteMap<String, String> map = newMap(new CacheConfig().capacityBytes(256 << 10).evictionEnabled(false));
        final String value = "x".repeat(1000);
        int stored = 0;
        IllegalStateException full = null;
        while (full == null && stored < 10_000)
        {
            try
            {
                map.put("k" + stored, value);
                stored++;
            }
            catch (final IllegalStateException e)
            {
                full = e;
            }
        }
        assertNotNull(full, "a 256 KiB cache cannot hold 10 MB");
        assertEquals(stored, map.size(), "nothing is dropped with eviction off");
        assertEquals(value, map.get("k0"));
    }

    @Test
    void shouldThrowIllegalStateAfterClose()
    {
        final FerriteMap<String, String> map = newMap();
        map.put("a", "1");
        cache.close();
        assertThrows(IllegalStateException.class, () -> map.get("a"));
        assertThrows(IllegalStateException.class, () -> map.put("a", "2"));
        assertThrows(IllegalStateException.class, map::size);
        cache = null;
    }

    @Test
    void shouldCompareValuesByEqualsNotIdentity()
    {
        final FerriteMap<String, String> map = newMap();
        map.put("a", "value");
        final String equalCopy = new String("value".toCharArray());
        assertFalse(map.replace("a", "other", "x"));
        assertTrue(map.replace("a", equalCopy, "next"));
        assertFalse(map.remove("a", "value"));
        assertTrue(map.remove("a", new String("next".toCharArray())));
        assertTrue(map.isEmpty());
    }

    @Test
    void shouldCallComputeIfAbsentFunctionOnlyWhenAbsent()
    {
        final FerriteMap<String, String> map = newMap();
        final AtomicInteger calls = new AtomicInteger();
        assertEquals("A", map.computeIfAbsent("a", k -> { calls.incrementAndGet(); return "A"; }));
        assertEquals("A", map.computeIfAbsent("a", k -> { calls.incrementAndGet(); return "B"; }));
        assertNull(map.computeIfAbsent("b", k -> { calls.incrementAndGet(); return null; }));
        assertEquals(2, calls.get());
        assertFalse(map.containsKey("b"));
    }

    @Test
    void shouldRemoveWhenRemappingFunctionReturnsNull()
    {
        final FerriteMap<String, String> map = newMap();
        map.put("a", "1");
        map.put("b", "2");
        map.put("c", "3");
        assertNull(map.compute("a", (k, v) -> null));
        assertNull(map.computeIfPresent("b", (k, v) -> null));
        assertNull(map.merge("c", "x", (v, x) -> null));
        assertNull(map.compute("d", (k, v) -> null));
        assertTrue(map.isEmpty());
        assertEquals("x", map.merge("c", "x", (v, x) -> v + x));
        assertEquals("xy", map.merge("c", "y", (v, x) -> v + x));
        assertNull(map.computeIfPresent("z", (k, v) -> "never"));
        assertFalse(map.containsKey("z"));
    }

    @Test
    void shouldLetRemappingFunctionsUseTheMapForOtherKeys()
    {
        final FerriteMap<String, String> map = newMap();
        map.put("base", "10");
        // Nested calls take their own scratch level: the outer key and value must survive them.
        final String result = map.compute("sum", (k, v) ->
        {
            map.put("side", "written inside");
            return map.get("base") + "+" + map.computeIfAbsent("inner", x -> "5");
        });
        assertEquals("10+5", result);
        assertEquals(Map.of("base", "10", "sum", "10+5", "side", "written inside", "inner", "5"), map);
    }

    @Test
    void shouldKeepExpiryOnTransformingWritesAndClearItOnPut()
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(1_000_000);
        final FerriteMap<String, String> map = newMap(new CacheConfig().capacityBytes(4 << 20).clock(clock));
        final byte[] key = "k".getBytes(StandardCharsets.UTF_8);
        cache.put(key, "1".getBytes(StandardCharsets.UTF_8), 1_000_100);
        assertEquals("1", map.replace("k", "2"));
        assertEquals("2x", map.merge("k", "x", String::concat));
        final EntryMeta meta = new EntryMeta();
        cache.get(key, meta);
        assertEquals(1_000_100, meta.expiresAtMillis(), "replace and merge keep the expiry");
        clock.update(1_000_100);
        assertNull(map.get("k"), "an expired entry is absent");
        assertNull(map.replace("k", "3"));

        cache.put(key, "1".getBytes(StandardCharsets.UTF_8), 1_000_200);
        assertEquals("1", map.put("k", "2"));
        clock.update(1_000_300);
        assertEquals("2", map.get("k"), "put stores an entry that never expires");
    }

    @Test
    void shouldWorkWithLongKeysAndValues()
    {
        cache = FerriteCache.create(new CacheConfig().capacityBytes(4 << 20));
        final FerriteMap<Long, Long> map = cache.asMap(Codecs.LONG, Codecs.LONG);
        for (long i = -500; i < 500; i++)
        {
            map.put(i, i * i);
        }
        final Set<Long> seen = new HashSet<>();
        map.forEach((k, v) ->
        {
            assertEquals(k * k, v);
            assertTrue(seen.add(k));
        });
        assertEquals(1000, seen.size());
        assertEquals(250_000L, map.get(-500L));
        assertEquals(1L, map.merge(1L, 5L, Long::sum) - 5L);
    }
}
