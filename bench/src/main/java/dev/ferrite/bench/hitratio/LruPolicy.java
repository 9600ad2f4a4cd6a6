package dev.ferrite.bench.hitratio;

import java.util.LinkedHashMap;
import java.util.Map;

/** Exact LRU: a {@link LinkedHashMap} in access order that drops its eldest entry beyond N. */
public final class LruPolicy implements ReplayPolicy
{
    private final LinkedHashMap<Integer, Boolean> map;

    public LruPolicy(final int maximumSize)
    {
        this.map = new LinkedHashMap<>(maximumSize * 2, 0.75f, true)
        {
            @Override
            protected boolean removeEldestEntry(final Map.Entry<Integer, Boolean> eldest)
            {
                return size() > maximumSize;
            }
        };
    }

    @Override
    public boolean access(final int key)
    {
        if (map.get(key) != null)
        {
            return true;
        }
        map.put(key, Boolean.TRUE);
        return false;
    }

    @Override
    public long size()
    {
        return map.size();
    }
}
