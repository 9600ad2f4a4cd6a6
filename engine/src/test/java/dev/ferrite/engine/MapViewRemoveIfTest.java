package dev.ferrite.engine;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Found by review (both failed before the views overrode removeIf): entrySet().removeIf and
 * values().removeIf tested the value the iterator returned, then remove the key
 * unconditionally (Collection.removeIf's default: Iterator.remove, i.e. MapIterator.remove, i.e.
 * FerriteMap.removeKey): a write that landed between the test and the removal was deleted although
 * the filter never saw its value. ConcurrentHashMap overrides both (JDK-8078645) to remove(key,
 * value), and so do these views now.
 */
class MapViewRemoveIfTest
{
    private static void concurrently(final Runnable r)
    {
        final Thread t = new Thread(r);
        t.start();
        try
        {
            t.join();
        }
        catch (final InterruptedException e)
        {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void entrySetRemoveIfKeepsAValueTheFilterNeverSaw(final int shards)
    {
        try (FerriteCache cache = FerriteCache.create(new CacheConfig().capacityBytes(4L << 20).shards(shards)))
        {
            final FerriteMap<String, String> map = cache.asMap(Codecs.STRING, Codecs.STRING);
            map.put("a", "old");
            map.entrySet().removeIf(e ->
            {
                if (e.getKey().equals("a") && e.getValue().equals("old"))
                {
                    concurrently(() -> map.put("a", "new")); // another thread's write, after the scan read "old"
                    return true; // the filter matched ("a", "old"), not ("a", "new")
                }
                return false;
            });
            assertEquals("new", map.get("a"), "removeIf removed an entry whose value never matched the filter");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void valuesRemoveIfKeepsAValueTheFilterNeverSaw(final int shards)
    {
        try (FerriteCache cache = FerriteCache.create(new CacheConfig().capacityBytes(4L << 20).shards(shards)))
        {
            final FerriteMap<String, String> map = cache.asMap(Codecs.STRING, Codecs.STRING);
            map.put("a", "old");
            map.values().removeIf(v ->
            {
                if (v.equals("old"))
                {
                    concurrently(() -> map.put("a", "new"));
                    return true;
                }
                return false;
            });
            assertEquals("new", map.get("a"), "values().removeIf removed a value that never matched the filter");
        }
    }
}
