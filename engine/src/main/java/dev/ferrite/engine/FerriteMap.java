package dev.ferrite.engine;

import dev.ferrite.engine.core.Store;

import java.util.AbstractMap;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A typed {@link ConcurrentMap} view of a {@link FerriteCache}: keys and values go through
 * {@link Codec}s to bytes, and every operation is one or more engine operations.
 *
 * <h2>Design</h2>
 * <ul>
 *   <li><b>Atomic conditional operations from versions.</b> The engine stores bytes and a version
 *   per key, and can write or remove only if the version is still the one read. Every operation
 *   that must see the old value (put, remove, replace, compute, merge...) reads value and version
 *   together, decides, then writes with {@code compareAndSet}, {@code putIfAbsent} or
 *   {@code remove(key, expectedVersion)}; if another write got in between, it reads again.
 *   Linearization point: the successful conditional write (or, for an operation that decides
 *   not to write, the read it decided on).</li>
 *   <li><b>Values are compared by {@code equals} of the decoded objects</b> in
 *   {@link #remove(Object, Object)}, {@link #replace(Object, Object, Object)} and
 *   {@link #containsValue}, as the Map contract says. Keys are compared by their encoded bytes,
 *   so codecs must be deterministic (see {@link Codec}).</li>
 *   <li><b>No nulls.</b> Null keys and values throw {@link NullPointerException}, as in
 *   ConcurrentHashMap; a remapping function returning null removes the entry.</li>
 *   <li><b>Expiry.</b> put, putIfAbsent, putAll and {@code Entry.setValue} store entries that never
 *   expire (as {@link FerriteCache#put(byte[], byte[])} does); replace, compute, computeIfPresent,
 *   merge and replaceAll, which transform an entry, keep its expiry. An expired entry is absent.</li>
 *   <li><b>Failures.</b> A key or value longer than the configured limits throws
 *   {@link IllegalArgumentException} on write (a read of such a key finds nothing); a write that
 *   finds no room (eviction off and the budget full) throws {@link IllegalStateException}, as do all
 *   operations after the cache is closed. With eviction on, entries may disappear at any time:
 *   this map then behaves as if another thread removed them.</li>
 * </ul>
 *
 * <h2>Progress guarantees</h2>
 * Every operation is lock-free: it never waits for another thread, and each retry of a
 * read-then-write loop happens only because another write to the same key succeeded. The
 * remapping functions of compute, computeIfPresent, merge and replaceAll may therefore be called
 * more than once under contention (as with ConcurrentMap's default methods), and must be free of
 * side effects; each call sees the value current when it was read, and the result is written only
 * if that value is still current, so every update applies atomically per key.
 * {@link #computeIfAbsent} calls its function at most once. Functions may read or write other keys
 * of this map, but not the key they are computing: such a write throws IllegalStateException
 * ("Recursive update", as ConcurrentHashMap), since it would change the version the operation read
 * and make it retry for ever. Only writes on the computing thread are caught that way.
 *
 * <h2>Codecs and the bytes underneath</h2>
 * The map assumes the cache holds only what its codecs write, and that they round-trip: a key codec
 * must be one-to-one ({@code decode(encode(k)).equals(k)}, and distinct keys distinct bytes). Bytes
 * written to the cache another way (the byte API, a snapshot from elsewhere) that decode to the same
 * key as other bytes show up as duplicate keys that {@code containsKey} does not find; bytes a codec
 * cannot decode make iteration throw (again on every attempt, never returning an entry twice).
 * Values are decoded afresh by every read, so {@code get} never returns the same instance twice,
 * and a value type without value-based {@code equals}/{@code hashCode} ({@code byte[]}) makes
 * {@code equals} and {@code hashCode} of the map and its entries identity-based (see {@link Codecs}).
 *
 * <h2>Bulk operations and views</h2>
 * {@link #size()}, {@link #isEmpty()}, {@link #containsValue}, {@link #clear()}, iteration,
 * {@link #forEach}, equals, hashCode and toString walk the index with the engine's weakly
 * consistent scan, {@link #SCAN_BATCH_INDEX_SLOTS} index slots per batch: they never block writers,
 * cost time in proportion to the index size plus the entries, and hold at most one batch of decoded
 * entries in memory. The views from {@link #keySet()}, {@link #values()} and {@link #entrySet()}
 * are backed by the map and support removal (also through their iterators), not addition.
 */
public final class FerriteMap<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V>
{
    /** Index slots per resumable scan of an iterator: about as many entries, at the default sizing. */
    static final int SCAN_BATCH_INDEX_SLOTS = 256;
    private static final long NEVER_EXPIRES = 0;

    private final FerriteCache cache;
    private final Codec<K> keyCodec;
    private final Codec<V> valueCodec;
    private final MapKeySet<K, V> keySet = new MapKeySet<>(this);
    private final MapValues<K, V> values = new MapValues<>(this);
    private final MapEntrySet<K, V> entrySet = new MapEntrySet<>(this);

    FerriteMap(final FerriteCache cache, final Codec<K> keyCodec, final Codec<V> valueCodec)
    {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.keyCodec = Objects.requireNonNull(keyCodec, "keyCodec");
        this.valueCodec = Objects.requireNonNull(valueCodec, "valueCodec");
    }

    /** The cache this map is a view of. */
    public FerriteCache cache()
    {
        return cache;
    }

    // ---------------------------------------------------------------------------------------------
    // Reads.

    /** Lock-free: one engine read. A key too long to be stored, or one its codec cannot encode, is absent. */
    @Override
    public V get(final Object key)
    {
        final MapScratch s = scratchForQuery(key);
        if (s == null)
        {
            return null;
        }
        try
        {
            return s.readCurrent(cache) ? decodeCurrent(s) : null;
        }
        finally
        {
            s.release();
        }
    }

    /** Lock-free: one engine read. */
    @Override
    public V getOrDefault(final Object key, final V defaultValue)
    {
        final V value = get(key);
        return value != null ? value : defaultValue;
    }

    /** Lock-free: one engine lookup, without copying the value. */
    @Override
    public boolean containsKey(final Object key)
    {
        final MapScratch s = scratchForQuery(key);
        if (s == null)
        {
            return false;
        }
        try
        {
            return cache.containsKey(s.key, 0, s.keyLength);
        }
        finally
        {
            s.release();
        }
    }

    /**
     * Scans for a value {@code equals} to the given one. Lock-free, weakly consistent; costs a scan
     * of the index, stopping at the first match.
     */
    @Override
    public boolean containsValue(final Object value)
    {
        Objects.requireNonNull(value, "value");
        final boolean[] found = {false};
        cache.scan(0, cache.indexSlotCount(), (k, ko, kl, v, vo, vl, version, expiresAt) ->
        {
            found[0] = value.equals(valueCodec.decode(v, vo, vl));
            return !found[0];
        });
        return found[0];
    }

    /**
     * Exact number of entries, counted by a scan of the whole index: O(index slots + entries), never
     * blocks writers, allocates nothing per entry. Exact when no write runs concurrently; under
     * concurrent writes it is weakly consistent (entries present throughout are counted once).
     * {@link #estimatedSize()} is the O(1) alternative. Lock-free.
     */
    @Override
    public int size()
    {
        final long count = countUpTo(Integer.MAX_VALUE);
        return (int)count;
    }

    /** True when a scan finds no entry; stops at the first one. Lock-free, weakly consistent. */
    @Override
    public boolean isEmpty()
    {
        return countUpTo(1) == 0;
    }

    /**
     * The engine's entry counter: O(1), but approximate (it may count expired entries not yet
     * reclaimed, and lags concurrent writes). Wait-free.
     */
    public long estimatedSize()
    {
        return cache.size();
    }

    // ---------------------------------------------------------------------------------------------
    // Unconditional writes.

    /**
     * Stores the value and returns the previous one. Lock-free: reads the current entry, then
     * writes conditionally on its version, retrying only if another write to the key came first.
     *
     * @throws IllegalArgumentException if the encoded key or value is too long.
     * @throws IllegalStateException    if the cache is full with eviction off, or closed.
     */
    @Override
    public V put(final K key, final V value)
    {
        final MapScratch s = scratchForKey(key);
        try
        {
            s.encodeValue(valueCodec, Objects.requireNonNull(value, "value"));
            while (true)
            {
                if (s.readCurrent(cache))
                {
                    if (write(s, Store.PUT_IF_VERSION, s.meta.version(), NEVER_EXPIRES) > 0)
                    {
                        return decodeCurrent(s);
                    }
                }
                else if (write(s, Store.PUT_IF_ABSENT, 0, NEVER_EXPIRES) > 0)
                {
                    return null;
                }
            }
        }
        finally
        {
            s.release();
        }
    }

    /**
     * Stores every mapping with one unconditional engine write each (no read of the old value).
     * Not atomic as a whole; each mapping is. Lock-free.
     */
    @Override
    public void putAll(final Map<? extends K, ? extends V> map)
    {
        for (final Map.Entry<? extends K, ? extends V> entry : map.entrySet())
        {
            store(entry.getKey(), entry.getValue());
        }
    }

    /**
     * Removes the key and returns its value. Lock-free: reads, then removes conditionally on the
     * version read, retrying only if another write to the key came first.
     */
    @Override
    public V remove(final Object key)
    {
        final MapScratch s = scratchForQuery(key);
        if (s == null)
        {
            return null;
        }
        try
        {
            while (true)
            {
                if (!s.readCurrent(cache))
                {
                    return null;
                }
                if (removeVersion(s) > 0)
                {
                    return decodeCurrent(s);
                }
            }
        }
        finally
        {
            s.release();
        }
    }

    /** Removes every entry found by a scan. Not atomic: entries written meanwhile may stay. Lock-free. */
    @Override
    public void clear()
    {
        cache.scan(0, cache.indexSlotCount(), (k, ko, kl, v, vo, vl, version, expiresAt) ->
        {
            // The scan's buffers are valid during the visit, and the visit runs outside the scan's
            // own operation, so removing here is safe.
            checkRemove(cache.remove(k, ko, kl));
            return true;
        });
    }

    // ---------------------------------------------------------------------------------------------
    // ConcurrentMap's conditional writes.

    /** Lock-free: one conditional engine write, plus a read when the key is present. */
    @Override
    public V putIfAbsent(final K key, final V value)
    {
        final MapScratch s = scratchForKey(key);
        try
        {
            s.encodeValue(valueCodec, Objects.requireNonNull(value, "value"));
            while (true)
            {
                if (write(s, Store.PUT_IF_ABSENT, 0, NEVER_EXPIRES) > 0)
                {
                    return null;
                }
                if (s.readCurrent(cache))
                {
                    return decodeCurrent(s); // else removed since: try again
                }
            }
        }
        finally
        {
            s.release();
        }
    }

    /**
     * Removes the key only if its current value {@code equals} {@code value}; false for a null
     * value, as ConcurrentHashMap. Lock-free read-then-remove-if-version loop.
     */
    @Override
    public boolean remove(final Object key, final Object value)
    {
        final MapScratch s = scratchForQuery(key);
        if (s == null)
        {
            return false;
        }
        try
        {
            if (value == null)
            {
                return false;
            }
            while (true)
            {
                if (!s.readCurrent(cache) || !value.equals(decodeCurrent(s)))
                {
                    return false;
                }
                if (removeVersion(s) > 0)
                {
                    return true;
                }
            }
        }
        finally
        {
            s.release();
        }
    }

    /**
     * Replaces the value only if the current one {@code equals} {@code oldValue}; keeps the entry's
     * expiry. Lock-free read-then-compare-and-set loop.
     */
    @Override
    public boolean replace(final K key, final V oldValue, final V newValue)
    {
        Objects.requireNonNull(oldValue, "oldValue");
        final MapScratch s = scratchForKey(key);
        try
        {
            s.encodeValue(valueCodec, Objects.requireNonNull(newValue, "newValue"));
            while (true)
            {
                if (!s.readCurrent(cache) || !oldValue.equals(decodeCurrent(s)))
                {
                    return false;
                }
                if (writeOverCurrent(s) > 0)
                {
                    return true;
                }
            }
        }
        finally
        {
            s.release();
        }
    }

    /** Replaces the value only if the key is present; keeps its expiry. Lock-free read-then-compare-and-set loop. */
    @Override
    public V replace(final K key, final V value)
    {
        final MapScratch s = scratchForKey(key);
        try
        {
            s.encodeValue(valueCodec, Objects.requireNonNull(value, "value"));
            while (true)
            {
                if (!s.readCurrent(cache))
                {
                    return null;
                }
                if (writeOverCurrent(s) > 0)
                {
                    return decodeCurrent(s);
                }
            }
        }
        finally
        {
            s.release();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The compute family.

    /**
     * Returns the current value, or computes, stores and returns one if the key is absent. The
     * function is called at most once, and only if the key was absent when read; if another thread
     * stores a value first, that value is returned and the computed one dropped. Lock-free.
     */
    @Override
    public V computeIfAbsent(final K key, final Function<? super K, ? extends V> mappingFunction)
    {
        Objects.requireNonNull(mappingFunction, "mappingFunction");
        final MapScratch s = scratchForCompute(key);
        try
        {
            if (s.readCurrent(cache))
            {
                return decodeCurrent(s);
            }
            final V computed = mappingFunction.apply(key);
            if (computed == null)
            {
                return null;
            }
            s.encodeValue(valueCodec, computed);
            while (true)
            {
                if (write(s, Store.PUT_IF_ABSENT, 0, NEVER_EXPIRES) > 0)
                {
                    return computed;
                }
                if (s.readCurrent(cache))
                {
                    return decodeCurrent(s);
                }
            }
        }
        finally
        {
            s.release();
        }
    }

    /**
     * If the key is present, replaces its value by the function's result, or removes it if that is
     * null; keeps the entry's expiry. Lock-free retry loop: the function may be called again when
     * another write to the key intervenes.
     */
    @Override
    public V computeIfPresent(final K key, final BiFunction<? super K, ? super V, ? extends V> remappingFunction)
    {
        Objects.requireNonNull(remappingFunction, "remappingFunction");
        final MapScratch s = scratchForCompute(key);
        try
        {
            while (true)
            {
                if (!s.readCurrent(cache))
                {
                    return null;
                }
                final V updated = remappingFunction.apply(key, decodeCurrent(s));
                if (applyOverCurrent(s, updated))
                {
                    return updated;
                }
            }
        }
        finally
        {
            s.release();
        }
    }

    /**
     * Stores the function's result for the current value (null when absent), or removes the key if
     * the result is null; keeps an existing entry's expiry. Lock-free retry loop: the function may
     * be called again when another write to the key intervenes.
     */
    @Override
    public V compute(final K key, final BiFunction<? super K, ? super V, ? extends V> remappingFunction)
    {
        Objects.requireNonNull(remappingFunction, "remappingFunction");
        final MapScratch s = scratchForCompute(key);
        try
        {
            while (true)
            {
                if (s.readCurrent(cache))
                {
                    final V updated = remappingFunction.apply(key, decodeCurrent(s));
                    if (applyOverCurrent(s, updated))
                    {
                        return updated;
                    }
                }
                else
                {
                    final V created = remappingFunction.apply(key, null);
                    if (created == null)
                    {
                        return null;
                    }
                    s.encodeValue(valueCodec, created);
                    if (write(s, Store.PUT_IF_ABSENT, 0, NEVER_EXPIRES) > 0)
                    {
                        return created;
                    }
                }
            }
        }
        finally
        {
            s.release();
        }
    }

    /**
     * Stores {@code value} if the key is absent, else the function's result for the current value
     * and {@code value}, removing the key if that is null; keeps an existing entry's expiry.
     * Lock-free retry loop: the function may be called again when another write to the key
     * intervenes.
     */
    @Override
    public V merge(final K key, final V value, final BiFunction<? super V, ? super V, ? extends V> remappingFunction)
    {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(remappingFunction, "remappingFunction");
        final MapScratch s = scratchForCompute(key);
        try
        {
            while (true)
            {
                if (s.readCurrent(cache))
                {
                    final V updated = remappingFunction.apply(decodeCurrent(s), value);
                    if (applyOverCurrent(s, updated))
                    {
                        return updated;
                    }
                }
                else
                {
                    s.encodeValue(valueCodec, value);
                    if (write(s, Store.PUT_IF_ABSENT, 0, NEVER_EXPIRES) > 0)
                    {
                        return value;
                    }
                }
            }
        }
        finally
        {
            s.release();
        }
    }

    /**
     * Replaces each entry's value by the function's result, each atomically (a compare-and-set on
     * the version read), the whole not atomic; keeps expiries. Entries are found by a weakly
     * consistent scan. Lock-free; the function may be called more than once for a key that another
     * thread writes meanwhile.
     *
     * @throws NullPointerException if the function returns null.
     */
    @Override
    public void replaceAll(final BiFunction<? super K, ? super V, ? extends V> function)
    {
        Objects.requireNonNull(function, "function");
        final Iterator<K> keys = iterator(MapEntry::getKey);
        while (keys.hasNext())
        {
            final K key = keys.next();
            final MapScratch s = scratchForCompute(key);
            try
            {
                while (s.readCurrent(cache))
                {
                    final V updated = Objects.requireNonNull(function.apply(key, decodeCurrent(s)),
                        "replaceAll function returned null");
                    if (applyOverCurrent(s, updated))
                    {
                        break;
                    }
                }
            }
            finally
            {
                s.release();
            }
        }
    }

    /** Calls the action for each entry found by a weakly consistent, batched scan. Lock-free. */
    @Override
    public void forEach(final BiConsumer<? super K, ? super V> action)
    {
        Objects.requireNonNull(action, "action");
        final Iterator<Map.Entry<K, V>> entries = entrySet.iterator();
        while (entries.hasNext())
        {
            final Map.Entry<K, V> entry = entries.next();
            action.accept(entry.getKey(), entry.getValue());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Views.

    /** Backed by the map; removal supported, addition not. Weakly consistent iterator. */
    @Override
    public Set<K> keySet()
    {
        return keySet;
    }

    /** Backed by the map; removal supported, addition not. Weakly consistent iterator. */
    @Override
    public Collection<V> values()
    {
        return values;
    }

    /** Backed by the map; removal and {@code Entry.setValue} write through. Weakly consistent iterator. */
    @Override
    public Set<Map.Entry<K, V>> entrySet()
    {
        return entrySet;
    }

    // ---------------------------------------------------------------------------------------------
    // Internals shared with the views.

    <T> Iterator<T> iterator(final Function<MapEntry<K, V>, T> projection)
    {
        return new MapIterator<>(this, cache, keyCodec, valueCodec, projection);
    }

    /** Unconditional write (no read of the old value), for putAll and Entry.setValue. */
    void store(final K key, final V value)
    {
        final MapScratch s = scratchForKey(key);
        try
        {
            s.encodeValue(valueCodec, Objects.requireNonNull(value, "value"));
            write(s, Store.PUT_ALWAYS, 0, NEVER_EXPIRES);
        }
        finally
        {
            s.release();
        }
    }

    /** Unconditional remove (no read of the old value), for iterator removal. */
    void removeKey(final K key)
    {
        final MapScratch s = scratchForKey(key);
        try
        {
            checkNotRecursive(s);
            checkRemove(cache.remove(s.key, 0, s.keyLength));
        }
        finally
        {
            s.release();
        }
    }

    /**
     * As {@link #scratchForKey}, for an operation that only looks a key up (or removes it): null when
     * the key codec cannot encode it (an unpaired surrogate in a String, say), since such a key can
     * never have been stored. The Map contract lets a query throw only ClassCastException and
     * NullPointerException: equals and containsAll, written on that contract, would pass anything
     * else on to their caller (found by review).
     */
    private MapScratch scratchForQuery(final Object key)
    {
        try
        {
            return scratchForKey(key);
        }
        catch (final IllegalArgumentException e)
        {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private MapScratch scratchForKey(final Object key)
    {
        Objects.requireNonNull(key, "key");
        final MapScratch s = MapScratch.acquire();
        try
        {
            s.encodeKey(keyCodec, (K)key); // a key of the wrong type fails here with ClassCastException
        }
        catch (final RuntimeException | Error e)
        {
            s.release();
            throw e;
        }
        return s;
    }

    /**
     * As ConcurrentHashMap does: a remapping function that writes the key it is computing gets
     * IllegalStateException, instead of making its operation retry for ever (each such write
     * changes the version the operation read; found by review).
     */
    private void checkNotRecursive(final MapScratch s)
    {
        if (s.writesAKeyBeingComputed(cache))
        {
            throw new IllegalStateException("Recursive update: a function passed to compute, computeIfAbsent, " +
                "computeIfPresent, merge or replaceAll wrote the key it is computing");
        }
    }

    /** The compute family's scratch: its key is being computed, until release. */
    private MapScratch scratchForCompute(final K key)
    {
        final MapScratch s = scratchForKey(key);
        s.computing = cache;
        return s;
    }

    private V decodeCurrent(final MapScratch s)
    {
        return valueCodec.decode(s.current, 0, s.currentLength);
    }

    /**
     * Writes the result of a remapping function over the value read into {@code s}, conditionally
     * on its version: stores it keeping the expiry, or removes the key when it is null.
     *
     * @return true when done, false when another write came first and the caller must read again.
     */
    private boolean applyOverCurrent(final MapScratch s, final V updated)
    {
        if (updated == null)
        {
            return removeVersion(s) > 0;
        }
        s.encodeValue(valueCodec, updated);
        return writeOverCurrent(s) > 0;
    }

    /** Compare-and-set of the encoded value over the version read into {@code s}, keeping its expiry. */
    private long writeOverCurrent(final MapScratch s)
    {
        return write(s, Store.PUT_IF_VERSION_KEEPING_EXPIRY, s.meta.version(), NEVER_EXPIRES);
    }

    /**
     * One engine write of the scratch's key and value.
     *
     * @return the new version, or MISS / EXISTS / VERSION_MISMATCH when the condition failed.
     */
    private long write(final MapScratch s, final int mode, final long expectedVersion, final long expiresAtMillis)
    {
        checkNotRecursive(s);
        final long result = cache.put(s.key, 0, s.keyLength, s.value, 0, s.valueLength, expiresAtMillis,
            mode, expectedVersion, null);
        if (result >= 0)
        {
            return result;
        }
        switch ((int)result)
        {
            case Status.MISS:
            case Status.EXISTS:
            case Status.VERSION_MISMATCH:
                return result;
            case Status.KEY_TOO_LARGE:
                throw new IllegalArgumentException("encoded key length=" + s.keyLength + " exceeds maxKeyLength=" +
                    cache.config().maxKeyLength());
            case Status.VALUE_TOO_LARGE:
                throw new IllegalArgumentException("encoded value length=" + s.valueLength + " with key length=" +
                    s.keyLength + " exceeds maxValueLength=" + cache.config().maxValueLength() +
                    " or one segment of segmentBytes=" + cache.config().segmentBytes());
            case Status.FULL:
                throw full();
            default:
                throw new IllegalStateException("unexpected engine status " + Status.describe(result));
        }
    }

    /** Remove conditional on the version read into {@code s}. @return the removed version, or negative to retry. */
    private long removeVersion(final MapScratch s)
    {
        checkNotRecursive(s);
        return checkRemove(cache.remove(s.key, 0, s.keyLength, s.meta.version()));
    }

    private long checkRemove(final long result)
    {
        if (result == Status.FULL)
        {
            throw full(); // a tombstone found no room
        }
        return result;
    }

    private IllegalStateException full()
    {
        return new IllegalStateException("cache is full: no room to write with capacityBytes=" +
            cache.config().capacityBytes() + " and evictionEnabled=" + cache.config().evictionEnabled());
    }

    private long countUpTo(final long limit)
    {
        final long[] count = {0};
        cache.scan(0, cache.indexSlotCount(), (k, ko, kl, v, vo, vl, version, expiresAt) -> ++count[0] < limit);
        return count[0];
    }
}
