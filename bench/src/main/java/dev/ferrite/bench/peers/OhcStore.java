package dev.ferrite.bench.peers;

import dev.ferrite.bench.data.Keys;
import org.caffinitas.ohc.CacheSerializer;
import org.caffinitas.ohc.Eviction;
import org.caffinitas.ohc.OHCache;
import org.caffinitas.ohc.OHCacheBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * OHC (off-heap, linked implementation, LRU), with a byte capacity well above the data set (OHC
 * evicts by bytes) and a hash table presized for it, so nothing is evicted or rehashed during a
 * measurement. OHC's get deserializes into a new array: it has no copy-into-caller API.
 */
public final class OhcStore implements BenchStore
{
    /** Generous per-entry allowance over key + value for OHC's entry header and malloc rounding. */
    private static final int ENTRY_ALLOWANCE_BYTES = 128;

    private final OHCache<byte[], byte[]> cache;
    private final int entries;
    private final int valueBytes;
    private volatile byte[][] lookupKeys;

    public OhcStore(final int entries, final int valueBytes)
    {
        this.entries = entries;
        this.valueBytes = valueBytes;
        // OHC's own default: the next power of two at or above twice the cores.
        final int segments = Integer.highestOneBit(Runtime.getRuntime().availableProcessors() * 2 - 1) << 1;
        final long capacityBytes = (long)(entries * (double)(Keys.KEY_BYTES + valueBytes + ENTRY_ALLOWANCE_BYTES) * 1.25);
        this.cache = OHCacheBuilder.<byte[], byte[]>newBuilder()
            .keySerializer(RawBytes.INSTANCE)
            .valueSerializer(RawBytes.INSTANCE)
            .capacity(capacityBytes)
            .segmentCount(segments)
            .hashTableSize(Integer.highestOneBit(Math.max(64, entries / segments)) * 2)
            .eviction(Eviction.LRU)
            .build();
    }

    private synchronized byte[][] keys()
    {
        if (lookupKeys == null)
        {
            lookupKeys = ChronicleMapStore.keyArrays(entries);
        }
        return lookupKeys;
    }

    @Override
    public Session session()
    {
        final byte[][] keys = keys();
        final byte[] value = new byte[valueBytes];
        Keys.fillValue(System.identityHashCode(value), value);
        return new Session()
        {
            @Override
            public int get(final int keyIndex)
            {
                final byte[] found = cache.get(keys[keyIndex]);
                return found == null ? -1 : found.length;
            }

            @Override
            public long put(final int keyIndex)
            {
                return cache.put(keys[keyIndex], value) ? 1 : 0;
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
            return cache.put(key, value) ? 1 : 0;
        };
    }

    @Override
    public long size()
    {
        return cache.size();
    }

    @Override
    public long nativeBytes()
    {
        return cache.memUsed();
    }

    @Override
    public String describe()
    {
        return "OHC linked, LRU, capacity=" + cache.capacity() + " bytes";
    }

    @Override
    public void close()
    {
        try
        {
            cache.close();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /** Keys and values as their raw bytes; OHC hands deserialize a buffer over exactly those bytes. */
    private enum RawBytes implements CacheSerializer<byte[]>
    {
        INSTANCE;

        @Override
        public void serialize(final byte[] value, final ByteBuffer buffer)
        {
            buffer.put(value);
        }

        @Override
        public byte[] deserialize(final ByteBuffer buffer)
        {
            final byte[] value = new byte[buffer.remaining()];
            buffer.get(value);
            return value;
        }

        @Override
        public int serializedSize(final byte[] value)
        {
            return value.length;
        }
    }
}
