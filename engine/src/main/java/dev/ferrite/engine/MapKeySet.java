package dev.ferrite.engine;

import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;

/** The key set of a {@link FerriteMap}: backed by the map, removal only (as ConcurrentHashMap's). */
final class MapKeySet<K, V> extends AbstractSet<K>
{
    private final FerriteMap<K, V> map;

    MapKeySet(final FerriteMap<K, V> map)
    {
        this.map = map;
    }

    @Override
    public Iterator<K> iterator()
    {
        return map.iterator(MapEntry::getKey);
    }

    @Override
    public Spliterator<K> spliterator()
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
        return map.containsKey(o);
    }

    @Override
    public boolean remove(final Object o)
    {
        return map.remove(o) != null;
    }

    @Override
    public void clear()
    {
        map.clear();
    }
}
