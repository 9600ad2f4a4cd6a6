package dev.ferrite.engine;

import java.util.Map;
import java.util.Objects;

/**
 * An entry handed out by a {@link FerriteMap} iterator: a snapshot of one key and value, whose
 * {@link #setValue} writes through to the map (as ConcurrentHashMap's entries do).
 */
final class MapEntry<K, V> implements Map.Entry<K, V>
{
    private final FerriteMap<K, V> map;
    private final K key;
    private V value;

    MapEntry(final FerriteMap<K, V> map, final K key, final V value)
    {
        this.map = map;
        this.key = key;
        this.value = value;
    }

    @Override
    public K getKey()
    {
        return key;
    }

    /** The value when the entry was read, or the last one set through this entry. */
    @Override
    public V getValue()
    {
        return value;
    }

    /**
     * Stores {@code newValue} under this key in the map, as {@code put} does. Lock-free.
     *
     * @return the value this entry held before, which may differ from what the map held if
     * another thread wrote in between.
     */
    @Override
    public V setValue(final V newValue)
    {
        Objects.requireNonNull(newValue, "value");
        map.store(key, newValue);
        final V previous = value;
        value = newValue;
        return previous;
    }

    @Override
    public boolean equals(final Object o)
    {
        if (!(o instanceof Map.Entry))
        {
            return false;
        }
        final Map.Entry<?, ?> other = (Map.Entry<?, ?>)o;
        return key.equals(other.getKey()) && value.equals(other.getValue());
    }

    @Override
    public int hashCode()
    {
        return key.hashCode() ^ value.hashCode();
    }

    @Override
    public String toString()
    {
        return key + "=" + value;
    }
}
