package dev.ferrite.engine;

import java.util.AbstractCollection;
import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;

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

    @Override
    public void clear()
    {
        map.clear();
    }
}
