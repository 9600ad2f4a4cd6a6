package dev.ferrite.engine;

import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Predicate;

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

    /**
     * Removes each entry the filter accepts only while its value is still the one the filter saw
     * ({@link FerriteMap#remove(Object, Object)}), as ConcurrentHashMap's does (JDK-8078645). The
     * inherited one removed through the iterator, whatever the value had become: a write that landed
     * between the test and the removal was deleted unseen (found by review). Lock-free per entry.
     */
    @Override
    public boolean removeIf(final Predicate<? super Map.Entry<K, V>> filter)
    {
        Objects.requireNonNull(filter, "filter");
        boolean removed = false;
        for (final Iterator<Map.Entry<K, V>> entries = iterator(); entries.hasNext(); )
        {
            final Map.Entry<K, V> entry = entries.next();
            if (filter.test(entry) && map.remove(entry.getKey(), entry.getValue()))
            {
                removed = true;
            }
        }
        return removed;
    }

    @Override
    public void clear()
    {
        map.clear();
    }
}
