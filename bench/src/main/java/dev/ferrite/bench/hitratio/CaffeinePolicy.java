package dev.ferrite.bench.hitratio;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/** Caffeine's W-TinyLFU with {@code maximumSize(N)}, maintenance on the calling thread for determinism. */
public final class CaffeinePolicy implements ReplayPolicy
{
    private final Cache<Integer, Boolean> cache;

    public CaffeinePolicy(final int maximumSize)
    {
        this.cache = Caffeine.newBuilder().maximumSize(maximumSize).executor(Runnable::run).build();
    }

    @Override
    public boolean access(final int key)
    {
        if (cache.getIfPresent(key) != null)
        {
            return true;
        }
        cache.put(key, Boolean.TRUE);
        return false;
    }

    @Override
    public long size()
    {
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
