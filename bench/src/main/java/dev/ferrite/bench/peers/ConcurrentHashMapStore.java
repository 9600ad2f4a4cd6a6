package dev.ferrite.bench.peers;

import dev.ferrite.bench.data.Keys;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The on-heap ceiling: an unbounded {@link ConcurrentHashMap}, presized. A get returns a reference
 * (no copy); a put stores the session's own value array by reference.
 */
public final class ConcurrentHashMapStore implements BenchStore
{
    private final ConcurrentHashMap<HeapKey, byte[]> map;
    private final int keyCount;
    private final int valueBytes;
    private volatile HeapKey[] lookupKeys;

    public ConcurrentHashMapStore(final int entries, final int valueBytes)
    {
        this.map = new ConcurrentHashMap<>(entries + entries / 3 + 1);
        this.keyCount = entries;
        this.valueBytes = valueBytes;
    }

    static HeapKey[] lookupKeys(final int count)
    {
        final HeapKey[] keys = new HeapKey[count];
        for (int i = 0; i < count; i++)
        {
            keys[i] = new HeapKey(i);
        }
        return keys;
    }

    /** Built on the first session only, so a memory probe that only loads does not count them. */
    private synchronized HeapKey[] keys()
    {
        if (lookupKeys == null)
        {
            lookupKeys = lookupKeys(keyCount);
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
                final byte[] found = map.get(keys[keyIndex]);
                return found == null ? -1 : found.length;
            }

            @Override
            public long put(final int keyIndex)
            {
                map.put(keys[keyIndex], value);
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
            map.put(new HeapKey(keyIndex), value.clone());
            return 1;
        };
    }

    @Override
    public long size()
    {
        return map.size();
    }

    @Override
    public String describe()
    {
        return "ConcurrentHashMap<HeapKey, byte[]>, initial capacity for " + keyCount + " entries, unbounded";
    }

    @Override
    public void close()
    {
        map.clear();
    }
}
