package dev.ferrite.engine;

import java.util.AbstractMap;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;

/** Placeholder: the typed view is being written. */
public final class FerriteMap<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V>
{
    FerriteMap(final FerriteCache cache, final Codec<K> keyCodec, final Codec<V> valueCodec)
    {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public Set<Entry<K, V>> entrySet()
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public V putIfAbsent(final K key, final V value)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean remove(final Object key, final Object value)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean replace(final K key, final V oldValue, final V newValue)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public V replace(final K key, final V value)
    {
        throw new UnsupportedOperationException();
    }
}
