package dev.ferrite.stress.lincheck;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** The sequential specification of {@link CacheMapOperations}: a plain map, same operations and results. */
public class MapSpecification
{
    private final Map<Integer, Integer> map = new HashMap<>();

    public Integer get(final int key)
    {
        return map.get(key);
    }

    public boolean containsKey(final int key)
    {
        return map.containsKey(key);
    }

    public void put(final int key, final int value)
    {
        map.put(key, value);
    }

    public boolean putIfAbsent(final int key, final int value)
    {
        return map.putIfAbsent(key, value) == null;
    }

    public boolean replace(final int key, final int value)
    {
        return map.replace(key, value) != null;
    }

    public boolean remove(final int key)
    {
        return map.remove(key) != null;
    }

    public boolean replaceIfEquals(final int key, final int expected, final int value)
    {
        return map.replace(key, expected, value);
    }

    public boolean removeIfEquals(final int key, final int expected)
    {
        return map.remove(key, expected);
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof MapSpecification other && map.equals(other.map);
    }

    @Override
    public int hashCode()
    {
        return Objects.hashCode(map);
    }
}
