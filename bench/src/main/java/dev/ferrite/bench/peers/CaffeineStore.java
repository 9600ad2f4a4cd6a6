package dev.ferrite.bench.peers;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ferrite.bench.data.Keys;

/**
 * Caffeine bounded at exactly the data set ({@code maximumSize(entries)}), W-TinyLFU, default
 * executor (maintenance runs on the common pool, as in production). Gets return a reference.
 */
public final class CaffeineStore implements BenchStore
{
    private final Cache<HeapKey, byte[]> cache;
    private final int keyCount;
    private final int valueBytes;
    private volatile HeapKey[] lookupKeys;

    public CaffeineStore(final int entries, final int valueBytes)
    {
        this.cache = Caffeine.newBuilder().maximumSize(entries).initialCapacity(entries).build();
        this.keyCount = entries;
        this.valueBytes = valueBytes;
    }

    private synchronized HeapKey[] keys()
    {
        if (lookupKeys == null)
        {
            lookupKeys = ConcurrentHashMapStore.lookupKeys(keyCount);
        }
        return lookupKeys;
    }

    @Override
    public Session session()
    {
        final HeapKey[] keys = keys();
        final byte[] value = new byte[valueBytes];
        Keys.fillValue(System.identityHashCode(value), value);
        return new Session()
        {
            @Override
            public int get(final int keyIndex)
            {
                final byte[] found = cache.getIfPresent(keys[keyIndex]);
                return found == null ? -1 : found.length;
            }

            @Override
            public long put(final int keyIndex)
            {
                cache.put(keys[keyIndex], value);
                return 1;
            }
        };
    }

    @Override
    public Loader loader()
    {
        final byte[] value = new byte[valueBytes];
        Keys.fillValue(valueBytes, value);
        return keyIndex ->
        {
            cache.put(new HeapKey(keyIndex), value.clone());
            return 1;
        };
    }

    @Override
    public long size()
    {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    @Override
    public String describe()
    {
        return "Caffeine maximumSize(" + keyCount + "), W-TinyLFU, default executor";
    }

    @Override
    public void close()
    {
        cache.invalidateAll();
        cache.cleanUp();
    }
}
