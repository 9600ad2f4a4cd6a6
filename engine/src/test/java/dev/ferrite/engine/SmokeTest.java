package dev.ferrite.engine;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class SmokeTest
{
    static byte[] b(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldPutGetRemove()
    {
        try (FerriteCache cache = FerriteCache.create(new CacheConfig().capacityBytes(8 << 20)))
        {
            assertNull(cache.get(b("a")));
            final long v1 = cache.put(b("a"), b("1"));
            assertTrue(v1 > 0);
            assertArrayEquals(b("1"), cache.get(b("a")));
            final long v2 = cache.put(b("a"), b("22"));
            assertTrue(v2 > v1);
            assertArrayEquals(b("22"), cache.get(b("a")));
            assertEquals(v2, cache.remove(b("a")));
            assertNull(cache.get(b("a")));
            assertEquals(Status.MISS, cache.remove(b("a")));
        }
    }

    @Test
    void shouldMatchModelUnderChurnWithoutEviction()
    {
        try (FerriteCache cache = FerriteCache.create(new CacheConfig().capacityBytes(4 << 20).evictionEnabled(false)))
        {
            final Map<String, String> model = new HashMap<>();
            final Random random = new Random(42);
            for (int i = 0; i < 500; i++)
            {
                // Written once and never touched: compaction must carry these forward.
                cache.put(b("stable" + i), b("value" + i));
                model.put("stable" + i, "value" + i);
            }
            for (int i = 0; i < 500_000; i++)
            {
                final String key = "k" + random.nextInt(2000);
                final int op = random.nextInt(10);
                if (op < 6)
                {
                    final String value = "v" + i + "x".repeat(random.nextInt(200));
                    cache.put(b(key), b(value));
                    model.put(key, value);
                }
                else if (op < 8)
                {
                    final long r = cache.remove(b(key));
                    assertEquals(model.remove(key) != null, r > 0, key + " " + Status.describe(r) + " " + cache.stats());
                }
                else
                {
                    final byte[] value = cache.get(b(key));
                    assertEquals(model.size(), cache.size(), "op " + i);
                    final String expected = model.get(key);
                    assertEquals(expected, value == null ? null : new String(value, StandardCharsets.UTF_8), key);
                }
            }
            for (final Map.Entry<String, String> e : model.entrySet())
            {
                assertArrayEquals(b(e.getValue()), cache.get(b(e.getKey())), e.getKey());
            }
            assertEquals(model.size(), cache.size());
            final long[] count = {0};
            cache.scan((k, ko, kl, v, vo, vl, ver, exp) -> { count[0]++; return true; });
            assertEquals(model.size(), count[0]);
            assertTrue(cache.stats().relocations() > 0, cache.stats().toString());
        }
    }

    @Test
    void shouldEvictWhenFull()
    {
        try (FerriteCache cache = FerriteCache.create(new CacheConfig().capacityBytes(2 << 20)))
        {
            for (int i = 0; i < 200_000; i++)
            {
                cache.put(b("key" + i), new byte[100]);
            }
            final CacheStats stats = cache.stats();
            assertTrue(stats.evictions() > 0, stats.toString());
            assertTrue(stats.allocatedBytes() <= 2 << 20, stats.toString());
            assertNotNull(cache.get(b("key199999")));
        }
    }
}
