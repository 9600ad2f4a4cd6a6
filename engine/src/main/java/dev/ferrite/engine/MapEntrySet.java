package dev.ferrite.engine;

import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Spliterator;
import java.util.Spliterators;

/**
 * The entry set of a {@link FerriteMap}: backed by the map; entries write through on
 * {@code setValue}; removal only (as ConcurrentHashMap's). Membership compares the current value by
 * {@code equals}.
 */
final class MapEntrySet<K, V> extends AbstractSet<Map.Entry<K, V>>
{
    private final FerriteMap<K, V> map;

    MapEntrySet(final FerriteMap<K, V> map)
    {
        this.map = map;
    }

    @Override
    public Iterator<Map.Entry<K, V>> iterator()
    {
        return map.iterator(entry -> entry);
    }

    @Override
    public Spliterator<Map.Entry<K, V>> spliterator()
    {
        return Spliterators.spliteratorUnknownSize(iterator(),
            Spliterator.DISTINCT | Spliterator.NONNULL | Spliterator.CONCURRENT);
    }

    /** Exact, by a scan: see {@link FerriteMap#size()}. */
    @Override
    public int size()
    {
        return map.size();
    }

    @Override
    public boolean isEmpty()
    {
        return map.isEmpty();
    }

    @Override
    public boolean contains(final Object o)
    {
        if (!(o instanceof Map.Entry))
        {
            return false;
        }
        final Map.Entry<?, ?> entry = (Map.Entry<?, ?>)o;
        final Object key = entry.getKey();
        final Object value = entry.getValue();
        if (key == null || value == null)
        {
            return false;
        }
        final V current = map.get(key);
        return current != null && value.equals(current);
    }

    @Override
    public boolean remove(final Object o)
    {
        if (!(o instanceof Map.Entry))
        {
            return false;
        }
        final Map.Entry<?, ?> entry = (Map.Entry<?, ?>)o;
        final Object key = entry.getKey();
        final Object value = entry.getValue();
        return key != null && value != null && map.remove(key, value);
    }

    @Override
    public void clear()
    {
        map.clear();
    }
}
