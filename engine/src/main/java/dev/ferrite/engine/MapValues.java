package dev.ferrite.engine;

import java.util.AbstractCollection;
import java.util.Iterator;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Predicate;

/** The values of a {@link FerriteMap}: backed by the map, removal only (as ConcurrentHashMap's). */
final class MapValues<K, V> extends AbstractCollection<V>
{
    private final FerriteMap<K, V> map;

    MapValues(final FerriteMap<K, V> map)
    {
        this.map = map;
    }

    @Override
    public Iterator<V> iterator()
    {
        return map.iterator(MapEntry::getValue);
    }

    @Override
    public Spliterator<V> spliterator()
    {
        return Spliterators.spliteratorUnknownSize(iterator(), Spliterator.NONNULL | Spliterator.CONCURRENT);
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
        return map.containsValue(o);
    }

    /** As {@link MapEntrySet#removeIf}: a value is removed only while it is still the one the filter saw. */
    @Override
    public boolean removeIf(final Predicate<? super V> filter)
    {
        Objects.requireNonNull(filter, "filter");
        boolean removed = false;
        for (final Iterator<MapEntry<K, V>> entries = map.iterator(entry -> entry); entries.hasNext(); )
        {
            final MapEntry<K, V> entry = entries.next();
            final V value = entry.getValue();
            if (filter.test(value) && map.remove(entry.getKey(), value))
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
