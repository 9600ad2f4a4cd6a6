package dev.ferrite.bench.peers;

import dev.ferrite.bench.data.Keys;
import net.openhft.chronicle.map.ChronicleMap;

/**
 * Chronicle Map (off-heap, in-memory, not persisted), created for exactly {@code entries} entries
 * with constant key and value sizes (its most compact layout) and {@code putReturnsNull}, so a put
 * does not deserialize the old value. Gets use {@code getUsing} into a per-thread array, Chronicle
 * Map's low-garbage read.
 */
public final class ChronicleMapStore implements BenchStore
{
    private final ChronicleMap<byte[], byte[]> map;
    private final int entries;
    private final int valueBytes;
    private volatile byte[][] lookupKeys;

    public ChronicleMapStore(final int entries, final int valueBytes)
    {
        this.entries = entries;
        this.valueBytes = valueBytes;
        this.map = ChronicleMap.of(byte[].class, byte[].class)
            .name("bench")
            .entries(entries)
            .constantKeySizeBySample(new byte[Keys.KEY_BYTES])
            .constantValueSizeBySample(new byte[valueBytes])
            .putReturnsNull(true)
            .removeReturnsNull(true)
            .create();
    }

    static byte[][] keyArrays(final int count)
    {
        final byte[][] keys = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            keys[i] = Keys.bytes(i);
        }
        return keys;
    }

    private synchronized byte[][] keys()
    {
        if (lookupKeys == null)
        {
            lookupKeys = keyArrays(entries);
        }
        return lookupKeys;
    }

    @Override
    public Session session()
    {
        final byte[][] keys = keys();
        final byte[] value = new byte[valueBytes];
        Keys.fillValue(System.identityHashCode(value), value);
        final byte[] using = new byte[valueBytes];
        return new Session()
        {
            @Override
            public int get(final int keyIndex)
            {
                final byte[] found = map.getUsing(keys[keyIndex], using);
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
        final byte[] key = new byte[Keys.KEY_BYTES];
        return keyIndex ->
        {
            Keys.write(keyIndex, key);
            map.put(key, value);
            return 1;
        };
    }

    @Override
    public long size()
    {
        return map.longSize();
    }

    @Override
    public long nativeBytes()
    {
        return map.offHeapMemoryUsed();
    }

    @Override
    public String describe()
    {
        return "ChronicleMap<byte[], byte[]> entries(" + entries + "), constant key/value sizes, putReturnsNull";
    }

    @Override
    public void close()
    {
        map.close();
    }
}
