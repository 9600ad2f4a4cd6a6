package dev.ferrite.engine;

import org.agrona.DirectBuffer;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Iterates a {@link FerriteMap} by resumable scans of {@link FerriteMap#SCAN_BATCH_INDEX_SLOTS}
 * index slots at a time, decoding each batch's entries (copies: the scan's buffers are valid only
 * during a visit). Memory is bounded by one batch, never the whole map.
 *
 * <p>Weakly consistent, as the engine's scan: an entry present for the whole iteration is returned
 * exactly once; one added or removed meanwhile may or may not be. No key is returned twice, since
 * a key always lives in the same index slot and each slot is scanned once. Never throws
 * {@link java.util.ConcurrentModificationException} and never blocks writers. Lock-free: each
 * batch is a scan, which retries a chain only when a writer moved it.
 *
 * <p>Not thread-safe itself: one iterator belongs to one thread, as with any iterator.
 */
final class MapIterator<K, V, T> implements Iterator<T>, EntryVisitor
{
    private final FerriteMap<K, V> map;
    private final FerriteCache cache;
    private final Codec<K> keyCodec;
    private final Codec<V> valueCodec;
    private final Function<MapEntry<K, V>, T> projection;
    private final ArrayDeque<MapEntry<K, V>> batch = new ArrayDeque<>();
    private final long indexSlotCount;
    private long nextIndexSlot;
    private MapEntry<K, V> lastReturned;

    MapIterator(
        final FerriteMap<K, V> map,
        final FerriteCache cache,
        final Codec<K> keyCodec,
        final Codec<V> valueCodec,
        final Function<MapEntry<K, V>, T> projection)
    {
        this.map = map;
        this.cache = cache;
        this.keyCodec = keyCodec;
        this.valueCodec = valueCodec;
        this.projection = projection;
        this.indexSlotCount = cache.indexSlotCount();
    }

    @Override
    public boolean hasNext()
    {
        while (batch.isEmpty() && nextIndexSlot < indexSlotCount)
        {
            final long batchEnd = Math.min(indexSlotCount, nextIndexSlot + FerriteMap.SCAN_BATCH_INDEX_SLOTS);
            try
            {
                nextIndexSlot = cache.scan(nextIndexSlot, batchEnd, this);
            }
            catch (final RuntimeException | Error e)
            {
                // A codec failed on an entry: the scan did not advance, so drop what it decoded before,
                // or the next call would return those entries a second time (found by review).
                batch.clear();
                throw e;
            }
        }
        return !batch.isEmpty();
    }

    @Override
    public T next()
    {
        if (!hasNext())
        {
            throw new NoSuchElementException();
        }
        lastReturned = batch.poll();
        return projection.apply(lastReturned);
    }

    /** Removes the last returned key from the map, whatever its value is now. Lock-free. */
    @Override
    public void remove()
    {
        if (lastReturned == null)
        {
            throw new IllegalStateException("next() has not returned an element since the last remove()");
        }
        map.removeKey(lastReturned.getKey());
        lastReturned = null;
    }

    /** Scan callback: decodes a copy of one entry into the batch. */
    @Override
    public boolean visit(
        final DirectBuffer key, final int keyOffset, final int keyLength,
        final DirectBuffer value, final int valueOffset, final int valueLength,
        final long version, final long expiresAtMillis)
    {
        batch.add(new MapEntry<>(map,
            keyCodec.decode(key, keyOffset, keyLength),
            valueCodec.decode(value, valueOffset, valueLength)));
        return true;
    }
}
