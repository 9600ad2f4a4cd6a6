package dev.ferrite.engine;

import dev.ferrite.engine.core.ShardedStore;
import dev.ferrite.engine.core.Store;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An embeddable off-heap, lock-free key-value cache with a strict byte budget.
 *
 * <pre>{@code
 * try (FerriteCache cache = FerriteCache.create(new CacheConfig().capacityBytes(256 << 20)))
 * {
 *     cache.put("user:42".getBytes(UTF_8), "Ada".getBytes(UTF_8));
 *     byte[] name = cache.get("user:42".getBytes(UTF_8));
 * }
 * }</pre>
 *
 * <h2>Two APIs</h2>
 * <ul>
 *   <li>The zero-garbage API over Agrona buffers: keys in, values copied into the caller's buffer,
 *   negative {@link Status} codes for a miss, a too-small buffer, a full store or bad sizes. It
 *   allocates nothing per call.</li>
 *   <li>The convenient {@code byte[]} API, which allocates the returned arrays and throws
 *   {@link IllegalArgumentException} for oversized input.</li>
 * </ul>
 * A typed {@link java.util.concurrent.ConcurrentMap} view comes from {@link #asMap}.
 *
 * <h2>Shards</h2>
 * A large cache is split by key hash into independent stores ({@link CacheConfig#shards()}), each
 * with its own index, log and share of the budget, so writers on many cores do not all append and
 * reclaim in one log. A key lives in one shard for good; nothing in the API changes with the count.
 *
 * <h2>Guarantees</h2>
 * Every operation is linearizable per key. get and containsKey are lock-free and never write
 * shared memory but for statistics; every write is lock-free (see {@link Store} for the design and
 * why). Keys, values and the index live off-heap in one allocation of at most the configured
 * capacity; heap use does not grow with the number of entries. Operations after {@link #close()}
 * throw {@link IllegalStateException}. close is idempotent and
 * safe to call from several threads at once: the first call frees the memory once operations in
 * flight have finished, any other returns at once.
 */
public final class FerriteCache implements AutoCloseable
{
    private final ShardedStore store;
    private final ThreadLocal<Wrappers> wrappers = ThreadLocal.withInitial(Wrappers::new);

    /** Name of the background reclaim thread ({@link CacheConfig#reclaimAheadSegments(int)}). */
    public static final String RECLAIM_THREAD_NAME = "ferrite-reclaim";

    /** Null unless {@link CacheConfig#reclaimAheadSegments()} asked for a background reclaim thread. */
    private final AgentRunner reclaimRunner;

    private FerriteCache(final CacheConfig config)
    {
        this.store = new ShardedStore(config);
        final int aheadSegments = store.config().shardConfig().reclaimAheadSegments(); // per shard
        if (aheadSegments > 0)
        {
            final IdleStrategy idle = store.config().reclaimIdleStrategy() != null ?
                store.config().reclaimIdleStrategy() : new BackoffIdleStrategy();
            reclaimRunner = new AgentRunner(idle, FerriteCache::reclaimAgentFailed, null,
                new ReclaimAgent(store, aheadSegments));
            AgentRunner.startOnThread(reclaimRunner, runnable ->
            {
                final Thread thread = new Thread(runnable, RECLAIM_THREAD_NAME);
                thread.setDaemon(true); // a cache nobody closed must not keep the JVM alive
                return thread;
            });
        }
        else
        {
            reclaimRunner = null;
        }
    }

    /**
     * An agent that reclaims this cache's oldest segments ahead of need, keeping
     * {@code aheadSegments} segments open in each shard, for a caller that runs its own agents (see
     * {@link ReclaimAgent}). Stop its runner before closing the cache.
     */
    public ReclaimAgent newReclaimAgent(final int aheadSegments)
    {
        return new ReclaimAgent(store, aheadSegments);
    }

    /**
     * The background reclaim thread never fails on purpose; if it does, writes go on reclaiming for
     * themselves, so the error is reported and the thread keeps running.
     */
    private static void reclaimAgentFailed(final Throwable error)
    {
        System.err.println("ferrite: background reclaim failed (writes keep reclaiming inline): " + error);
        error.printStackTrace();
    }

    /** Creates a store with the given settings; {@link CacheConfig#conclude()} is applied. */
    public static FerriteCache create(final CacheConfig config)
    {
        return new FerriteCache(config);
    }

    /** Creates a store with default settings and the given byte budget. */
    public static FerriteCache create(final long capacityBytes)
    {
        return new FerriteCache(new CacheConfig().capacityBytes(capacityBytes));
    }

    public CacheConfig config()
    {
        return store.config();
    }

    // ---------------------------------------------------------------------------------------------
    // Zero-garbage API.

    /**
     * Copies the value of a key into {@code destination} at {@code destinationOffset}. Lock-free.
     *
     * @param destination where the value goes; null to learn only the value's length, version and
     *                    expiry through {@code meta} (answered {@link Status#BUFFER_TOO_SMALL}, as
     *                    for a buffer too small, and counted neither as a hit nor as a miss).
     * @param meta optional; receives version, expiry and value length (also on BUFFER_TOO_SMALL).
     * @return the value length, or {@link Status#MISS}, {@link Status#BUFFER_TOO_SMALL}, {@link Status#KEY_TOO_LARGE}.
     */
    public int get(
        final DirectBuffer key, final int keyOffset, final int keyLength,
        final MutableDirectBuffer destination, final int destinationOffset, final EntryMeta meta)
    {
        return store.get(key, keyOffset, keyLength, destination, destinationOffset, meta);
    }

    /** True when the key holds a live entry. Lock-free. */
    public boolean containsKey(final DirectBuffer key, final int keyOffset, final int keyLength)
    {
        return store.containsKey(key, keyOffset, keyLength);
    }

    /**
     * Stores a value. Lock-free.
     *
     * @param expiresAtMillis absolute expiry in epoch milliseconds, 0 for never.
     * @return the new version (positive), or a negative {@link Status}.
     */
    public long put(
        final DirectBuffer key, final int keyOffset, final int keyLength,
        final DirectBuffer value, final int valueOffset, final int valueLength,
        final long expiresAtMillis)
    {
        return store.put(key, keyOffset, keyLength, value, valueOffset, valueLength, expiresAtMillis,
            Store.PUT_ALWAYS, 0, null);
    }

    /** Stores only if the key is absent. Lock-free. @return the new version, {@link Status#EXISTS} or another status. */
    public long putIfAbsent(
        final DirectBuffer key, final int keyOffset, final int keyLength,
        final DirectBuffer value, final int valueOffset, final int valueLength,
        final long expiresAtMillis)
    {
        return store.put(key, keyOffset, keyLength, value, valueOffset, valueLength, expiresAtMillis,
            Store.PUT_IF_ABSENT, 0, null);
    }

    /** Stores only if the key is present. Lock-free. @return the new version, {@link Status#MISS} or another status. */
    public long replace(
        final DirectBuffer key, final int keyOffset, final int keyLength,
        final DirectBuffer value, final int valueOffset, final int valueLength,
        final long expiresAtMillis)
    {
        return store.put(key, keyOffset, keyLength, value, valueOffset, valueLength, expiresAtMillis,
            Store.PUT_IF_PRESENT, 0, null);
    }

    /**
     * Stores only if the key's current version is {@code expectedVersion} (memcached's cas). Lock-free.
     *
     * @return the new version, {@link Status#VERSION_MISMATCH}, {@link Status#MISS} or another status.
     */
    public long compareAndSet(
        final DirectBuffer key, final int keyOffset, final int keyLength,
        final DirectBuffer value, final int valueOffset, final int valueLength,
        final long expiresAtMillis, final long expectedVersion)
    {
        return store.put(key, keyOffset, keyLength, value, valueOffset, valueLength, expiresAtMillis,
            Store.PUT_IF_VERSION, expectedVersion, null);
    }

    /**
     * The general write behind the others, as the wire protocol needs it.
     *
     * @param mode one of {@link Store#PUT_ALWAYS}, {@link Store#PUT_IF_ABSENT}, {@link Store#PUT_IF_PRESENT},
     *             {@link Store#PUT_IF_VERSION}, {@link Store#PUT_IF_VERSION_KEEPING_EXPIRY}.
     * @param meta optional; receives the existing entry when a conditional write is refused.
     */
    public long put(
        final DirectBuffer key, final int keyOffset, final int keyLength,
        final DirectBuffer value, final int valueOffset, final int valueLength,
        final long expiresAtMillis, final int mode, final long expectedVersion, final EntryMeta meta)
    {
        return store.put(key, keyOffset, keyLength, value, valueOffset, valueLength, expiresAtMillis,
            mode, expectedVersion, meta);
    }

    /**
     * Writes an entry with a version the caller gives: skipped (returning
     * {@link Status#VERSION_MISMATCH}) when the key already holds that version or a newer one, live
     * or not: an expired newer version, or a newer remove whose tombstone is not reclaimed yet, wins
     * too (after that, a restore cannot know the key was removed). Lock-free.
     *
     * <p>Versions a store made itself may lie above {@link Store#MAX_RESTORE_VERSION} (after a
     * restore near it: writes add one, and a remove raises every later version in its store), so a
     * snapshot load or a replica applying another store's entries writes them with the general
     * {@link #put(DirectBuffer, int, int, DirectBuffer, int, int, long, int, long, EntryMeta)} in mode
     * {@link Store#PUT_RESTORE}, which takes any positive version (review).
     *
     * @throws IllegalArgumentException when {@code version} is outside [1, {@link Store#MAX_RESTORE_VERSION}].
     */
    public long restore(
        final DirectBuffer key, final int keyOffset, final int keyLength,
        final DirectBuffer value, final int valueOffset, final int valueLength,
        final long expiresAtMillis, final long version)
    {
        if (version > Store.MAX_RESTORE_VERSION)
        {
            // A version near Long.MAX_VALUE leaves no room above it: later writes of the key, and once
            // it is retired of every key, would share one version (review).
            throw new IllegalArgumentException("version=" + version + " must be at most " + Store.MAX_RESTORE_VERSION);
        }
        return store.put(key, keyOffset, keyLength, value, valueOffset, valueLength, expiresAtMillis,
            Store.PUT_RESTORE, version, null); // throws IllegalArgumentException unless version > 0
    }

    /** Removes a key. Lock-free. @return the removed version or {@link Status#MISS}. */
    public long remove(final DirectBuffer key, final int keyOffset, final int keyLength)
    {
        return store.remove(key, keyOffset, keyLength, 0);
    }

    /** Removes a key if its version matches. Lock-free. @return the removed version, MISS or VERSION_MISMATCH. */
    public long remove(final DirectBuffer key, final int keyOffset, final int keyLength, final long expectedVersion)
    {
        if (expectedVersion <= 0)
        {
            throw new IllegalArgumentException("expectedVersion=" + expectedVersion + " must be positive");
        }
        return store.remove(key, keyOffset, keyLength, expectedVersion);
    }

    /** Sets a new absolute expiry (0 = never), keeping value and version. Lock-free. @return the version or MISS. */
    public long touch(final DirectBuffer key, final int keyOffset, final int keyLength, final long expiresAtMillis)
    {
        return store.touch(key, keyOffset, keyLength, expiresAtMillis);
    }

    // ---------------------------------------------------------------------------------------------
    // byte[] API: allocates results, throws for bad input.

    /** @return the value, or null when absent. */
    public byte[] get(final byte[] key)
    {
        return get(key, null);
    }

    /** @return the value, or null when absent; fills {@code meta} when given. */
    public byte[] get(final byte[] key, final EntryMeta meta)
    {
        final Wrappers w = wrappers.get();
        final UnsafeBuffer keyBuffer = w.key(checkKey(key));
        final EntryMeta found = meta != null ? meta : w.meta;
        try
        {
            int length = store.get(keyBuffer, 0, key.length, w.scratch, 0, found);
            while (length == Status.BUFFER_TOO_SMALL)
            {
                // Larger than the fixed scratch: read straight into an array of the value's length,
                // which is returned, rather than growing a per-thread buffer that would keep the
                // largest value ever read for as long as the thread lives.
                final byte[] value = new byte[found.valueLength()];
                w.large.wrap(value);
                length = store.get(keyBuffer, 0, key.length, w.large, 0, found);
                if (length == value.length)
                {
                    return value;
                }
                if (length >= 0)
                {
                    return java.util.Arrays.copyOf(value, length); // a shorter value replaced it meanwhile
                }
            }
            if (length < 0)
            {
                return null;
            }
            final byte[] value = new byte[length];
            w.scratch.getBytes(0, value, 0, length);
            return value;
        }
        finally
        {
            w.release();
        }
    }

    public long put(final byte[] key, final byte[] value)
    {
        return put(key, value, 0);
    }

    /** @return the new version. @throws IllegalStateException when the store is full and cannot evict. */
    public long put(final byte[] key, final byte[] value, final long expiresAtMillis)
    {
        return write(key, value, expiresAtMillis, Store.PUT_ALWAYS, 0);
    }

    /** @return the new version, or {@link Status#EXISTS}. */
    public long putIfAbsent(final byte[] key, final byte[] value, final long expiresAtMillis)
    {
        return write(key, value, expiresAtMillis, Store.PUT_IF_ABSENT, 0);
    }

    /** @return the new version, or {@link Status#MISS}. */
    public long replace(final byte[] key, final byte[] value, final long expiresAtMillis)
    {
        return write(key, value, expiresAtMillis, Store.PUT_IF_PRESENT, 0);
    }

    /** @return the new version, {@link Status#MISS} or {@link Status#VERSION_MISMATCH}. */
    public long compareAndSet(final byte[] key, final byte[] value, final long expiresAtMillis, final long expectedVersion)
    {
        return write(key, value, expiresAtMillis, Store.PUT_IF_VERSION, expectedVersion);
    }

    /**
     * @return the removed version, or {@link Status#MISS}.
     * @throws IllegalStateException when there is no room for the remove's tombstone (eviction off, full).
     */
    public long remove(final byte[] key)
    {
        final Wrappers w = wrappers.get();
        final long result;
        try
        {
            result = store.remove(w.key(checkKey(key)), 0, key.length, 0);
        }
        finally
        {
            w.release();
        }
        if (result == Status.FULL)
        {
            throw full();
        }
        return result;
    }

    /**
     * @return the kept version, or {@link Status#MISS}.
     * @throws IllegalStateException when there is no room for the touched copy, as the byte[] puts
     *                               throw (review: it returned FULL as if it were a version).
     */
    public long touch(final byte[] key, final long expiresAtMillis)
    {
        checkExpiry(expiresAtMillis);
        final Wrappers w = wrappers.get();
        final long result;
        try
        {
            result = store.touch(w.key(checkKey(key)), 0, key.length, expiresAtMillis);
        }
        finally
        {
            w.release();
        }
        if (result == Status.FULL)
        {
            throw full();
        }
        return result;
    }

    public boolean containsKey(final byte[] key)
    {
        final Wrappers w = wrappers.get();
        try
        {
            return store.containsKey(w.key(checkKey(key)), 0, key.length);
        }
        finally
        {
            w.release();
        }
    }

    private long write(final byte[] key, final byte[] value, final long expiresAtMillis, final int mode, final long expected)
    {
        checkKey(key);
        if (value == null)
        {
            throw new NullPointerException("value");
        }
        if (value.length > store.config().maxValueLength())
        {
            throw new IllegalArgumentException("value length=" + value.length + " exceeds maxValueLength=" +
                store.config().maxValueLength());
        }
        checkExpiry(expiresAtMillis);
        final Wrappers w = wrappers.get();
        final long result;
        try
        {
            result = store.put(w.key(key), 0, key.length, w.value(value), 0, value.length, expiresAtMillis, mode, expected, null);
        }
        finally
        {
            w.release();
        }
        if (result == Status.FULL)
        {
            throw full();
        }
        if (result == Status.VALUE_TOO_LARGE)
        {
            throw new IllegalArgumentException("record of key length=" + key.length + " and value length=" +
                value.length + " does not fit one segment of segmentBytes=" + store.config().segmentBytes());
        }
        return result;
    }

    private IllegalStateException full()
    {
        return new IllegalStateException(store.config().evictionEnabled() ?
            "no space for this write: other writers kept taking what reclaim freed (capacityBytes=" + store.config().capacityBytes() + ")" :
            "cache is full: eviction is off and live data fills capacityBytes=" + store.config().capacityBytes());
    }

    private byte[] checkKey(final byte[] key)
    {
        if (key == null)
        {
            throw new NullPointerException("key");
        }
        if (key.length > store.config().maxKeyLength())
        {
            throw new IllegalArgumentException("key length=" + key.length + " exceeds maxKeyLength=" +
                store.config().maxKeyLength());
        }
        return key;
    }

    private static void checkExpiry(final long expiresAtMillis)
    {
        if (expiresAtMillis < 0)
        {
            throw new IllegalArgumentException("expiresAtMillis=" + expiresAtMillis + " must be 0 (never) or positive");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Scans, statistics, lifecycle.

    /** Visits every live entry; weakly consistent, never blocks writers. Stops early when the visitor returns false. */
    public void scan(final EntryVisitor visitor)
    {
        store.scan(0, store.indexSlotCount(), -1, visitor);
    }

    /**
     * Visits the live entries whose routing slot (CRC16 of the key or its {hash tag}, mod 16384)
     * is {@code routingSlot}: what a node streams when a slot moves.
     */
    public void scanSlot(final int routingSlot, final EntryVisitor visitor)
    {
        if (routingSlot < 0 || routingSlot >= dev.ferrite.engine.hash.RoutingSlot.SLOT_COUNT)
        {
            throw new IllegalArgumentException("routingSlot=" + routingSlot + " must be in [0, 16384)");
        }
        store.scan(0, store.indexSlotCount(), routingSlot, visitor);
    }

    /**
     * A resumable scan for iterators and streaming: visits the live entries of index slots
     * {@code [fromIndexSlot, toIndexSlot)}, weakly consistent.
     *
     * <p>Page by slot ranges ({@code scan(from, from + k, v)}, as the map's iterator does), not by
     * stopping the visitor: one index slot may hold several keys, and a visitor that returns false
     * ends the scan there, so the rest of that slot's entries are never visited, and resuming from
     * the returned slot skips them (found by review: one entry per call paged 64 of 500 keys). A
     * position inside a slot's chain could not be resumed reliably, since writes reorder chains.
     *
     * @return where to resume: {@code toIndexSlot} (capped at {@link #indexSlotCount()}) when the
     * range is done, or the slot after the one where the visitor returned false.
     */
    public long scan(final long fromIndexSlot, final long toIndexSlot, final EntryVisitor visitor)
    {
        return store.scan(fromIndexSlot, toIndexSlot, -1, visitor);
    }

    /** Number of index slots: the range of {@link #scan(long, long, EntryVisitor)}. */
    public long indexSlotCount()
    {
        return store.indexSlotCount();
    }

    /**
     * Writes every live entry to {@code file} (atomically replaced), in the versioned, checksummed
     * format of {@link dev.ferrite.engine.snapshot.SnapshotDescriptor}. Weakly consistent with
     * concurrent writes; never blocks them.
     */
    public dev.ferrite.engine.snapshot.SnapshotWriteSummary writeSnapshot(final java.nio.file.Path file)
        throws java.io.IOException
    {
        return dev.ferrite.engine.snapshot.Snapshots.write(this, file);
    }

    /**
     * Verifies the whole of {@code file} first, then loads its entries (skipping expired ones and
     * keys that already hold a newer version). A truncated or corrupt file is refused with
     * {@link dev.ferrite.engine.snapshot.SnapshotCorruptException} and loads nothing.
     */
    public dev.ferrite.engine.snapshot.SnapshotLoadSummary loadSnapshot(final java.nio.file.Path file)
        throws java.io.IOException
    {
        return dev.ferrite.engine.snapshot.Snapshots.load(this, file);
    }

    public CacheStats stats()
    {
        return store.stats();
    }

    /**
     * Live entries, approximately: counted on every insert, remove, eviction and expiry.
     *
     * @throws IllegalStateException after {@link #close()}, as every operation.
     */
    public long size()
    {
        if (store.isClosed())
        {
            throw new IllegalStateException("cache is closed");
        }
        return store.entryCount();
    }

    public boolean isClosed()
    {
        return store.isClosed();
    }

    /** Frees all off-heap memory after operations in flight finish. Later calls throw IllegalStateException. */
    @Override
    public void close()
    {
        if (reclaimRunner != null)
        {
            reclaimRunner.close(); // waits for the thread to leave its duty cycle: it reads the memory freed next
        }
        store.close();
    }

    /** A typed ConcurrentMap view over this cache. */
    public <K, V> FerriteMap<K, V> asMap(final Codec<K> keyCodec, final Codec<V> valueCodec)
    {
        return new FerriteMap<>(this, keyCodec, valueCodec);
    }

    /** Per-thread wrappers around the caller's arrays, so the byte[] API adds no buffer garbage. */
    /**
     * Per-thread buffers of the byte[] API. They wrap the caller's arrays only for the call: release
     * unwraps them, so a thread's wrappers never keep a caller's key or value reachable (found by
     * review: a 900 KB value stayed reachable after close, in every thread that had written one).
     */
    private static final class Wrappers
    {
        private static final byte[] EMPTY = new byte[0];
        /** Values up to this size are read through the scratch; larger ones straight into their result. */
        static final int SCRATCH_BYTES = 4096;

        final UnsafeBuffer keyBuffer = new UnsafeBuffer(EMPTY);
        final UnsafeBuffer valueBuffer = new UnsafeBuffer(EMPTY);
        final EntryMeta meta = new EntryMeta();
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[SCRATCH_BYTES]);
        /** Wraps the result array of a value larger than the scratch, for the call. */
        private final UnsafeBuffer large = new UnsafeBuffer(EMPTY);

        void release()
        {
            keyBuffer.wrap(EMPTY);
            valueBuffer.wrap(EMPTY);
            large.wrap(EMPTY);
        }

        UnsafeBuffer key(final byte[] key)
        {
            keyBuffer.wrap(key);
            return keyBuffer;
        }

        UnsafeBuffer value(final byte[] value)
        {
            valueBuffer.wrap(value);
            return valueBuffer;
        }

    }
}
