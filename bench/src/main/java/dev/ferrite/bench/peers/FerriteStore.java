package dev.ferrite.bench.peers;

import dev.ferrite.bench.data.Keys;
import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.CacheStats;
import dev.ferrite.engine.FerriteCache;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * Ferrite, sized by {@link FerriteSizing} with {@link #THROUGHPUT_HEADROOM}: the data area holds
 * the whole data set plus a quarter for superseded versions, and one index slot per entry. Measured
 * either on the zero-garbage API (keys read from one direct buffer of all keys, values copied into
 * a per-thread direct buffer) or on the byte[] API.
 */
public final class FerriteStore implements BenchStore
{
    /**
     * The log's room for superseded versions, as a multiple of the data set; system property
     * {@code bench.ferrite.headroom}, default 1.25.
     */
    public static final double THROUGHPUT_HEADROOM = Double.parseDouble(System.getProperty("bench.ferrite.headroom", "1.25"));

    /**
     * Segments the background reclaim thread of {@code ferrite-ahead} keeps open; system property
     * {@code bench.ferrite.reclaimAhead}, default 2.
     */
    public static final int RECLAIM_AHEAD_SEGMENTS = Integer.getInteger("bench.ferrite.reclaimAhead", 2);

    /**
     * Shards ({@code CacheConfig.shards}); system property {@code bench.ferrite.shards}, default 0:
     * what the engine would pick on this machine for a store of this size and these records.
     */
    public static final int SHARDS = Integer.getInteger("bench.ferrite.shards", 0);

    private final FerriteCache cache;
    private final int valueBytes;
    private final boolean byteArrayApi;
    private final UnsafeBuffer keys;
    private final byte[][] keyArrays;

    public FerriteStore(final int entries, final int valueBytes, final double headroom, final boolean byteArrayApi)
    {
        this(config(entries, valueBytes, headroom), entries, valueBytes, byteArrayApi);
    }

    public FerriteStore(final CacheConfig config, final int keyCount, final int valueBytes, final boolean byteArrayApi)
    {
        this(config, Keys.offHeap(keyCount), valueBytes, byteArrayApi);
    }

    /** @param keys all keys back to back, from {@link Keys#offHeap}; the memory probe builds them before measuring. */
    public FerriteStore(final CacheConfig config, final UnsafeBuffer keys, final int valueBytes, final boolean byteArrayApi)
    {
        this.cache = FerriteCache.create(config);
        this.valueBytes = valueBytes;
        this.byteArrayApi = byteArrayApi;
        this.keys = keys;
        this.keyArrays = byteArrayApi ? keyArrays(keys.capacity() / Keys.KEY_BYTES) : null;
    }

    public static CacheConfig config(final long entries, final int valueBytes, final double headroom)
    {
        final int recordBytes = FerriteSizing.recordBytes(Keys.KEY_BYTES, valueBytes);
        return config(entries, valueBytes, headroom, SHARDS > 0 ? SHARDS : CacheConfig.autoShards(
            (long)(entries * recordBytes * headroom), CacheConfig.smallestSegmentBytesFor(recordBytes)));
    }

    /** As above, with a given shard count. */
    public static CacheConfig config(final long entries, final int valueBytes, final double headroom, final int shards)
    {
        final int recordBytes = FerriteSizing.recordBytes(Keys.KEY_BYTES, valueBytes);
        final long shardEntries = (entries + shards - 1) / shards;
        return FerriteSizing.config(entries, Keys.KEY_BYTES, valueBytes, headroom,
            FerriteSizing.largeStoreSegmentBytes(shardEntries, recordBytes), entries, shards);
    }

    private static byte[][] keyArrays(final int count)
    {
        final byte[][] arrays = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            arrays[i] = Keys.bytes(i);
        }
        return arrays;
    }

    public FerriteCache cache()
    {
        return cache;
    }

    @Override
    public Session session()
    {
        return byteArrayApi ? new ByteArraySession() : new DirectSession();
    }

    /** Loads through the zero-garbage API, whichever API the sessions measure. */
    @Override
    public Loader loader()
    {
        return new DirectSession()::put;
    }

    @Override
    public long size()
    {
        return cache.size();
    }

    @Override
    public long nativeBytes()
    {
        return cache.stats().allocatedBytes();
    }

    @Override
    public String describe()
    {
        final CacheStats stats = cache.stats();
        return (byteArrayApi ? "byte[] API, " : "DirectBuffer API, ") + cache.config() + ", allocatedBytes=" +
            stats.allocatedBytes();
    }

    @Override
    public void close()
    {
        cache.close();
    }

    private final class DirectSession implements Session
    {
        private final UnsafeBuffer destination = new UnsafeBuffer(ByteBuffer.allocateDirect(valueBytes));
        private final UnsafeBuffer value = new UnsafeBuffer(ByteBuffer.allocateDirect(valueBytes));

        DirectSession()
        {
            final byte[] bytes = new byte[valueBytes];
            Keys.fillValue(System.identityHashCode(this), bytes);
            value.putBytes(0, bytes);
        }

        @Override
        public int get(final int keyIndex)
        {
            return cache.get(keys, keyIndex * Keys.KEY_BYTES, Keys.KEY_BYTES, destination, 0, null);
        }

        @Override
        public long put(final int keyIndex)
        {
            return cache.put(keys, keyIndex * Keys.KEY_BYTES, Keys.KEY_BYTES, value, 0, valueBytes, 0);
        }
    }

    private final class ByteArraySession implements Session
    {
        private final byte[] value = new byte[valueBytes];

        ByteArraySession()
        {
            Keys.fillValue(System.identityHashCode(this), value);
        }

        @Override
        public int get(final int keyIndex)
        {
            final byte[] found = cache.get(keyArrays[keyIndex]);
            return found == null ? -1 : found.length;
        }

        @Override
        public long put(final int keyIndex)
        {
            return cache.put(keyArrays[keyIndex], value);
        }
    }
}
