package dev.ferrite.loadgen.target;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.FerriteCache;

import java.util.concurrent.CompletableFuture;

/**
 * The engine in this JVM, no network: the ceiling a networked target is compared with, and a
 * target the load generator's own tests can run against anywhere.
 */
public final class EmbeddedEngineTarget implements LoadTarget
{
    private static final CompletableFuture<Boolean> HIT = CompletableFuture.completedFuture(Boolean.TRUE);
    private static final CompletableFuture<Boolean> MISS = CompletableFuture.completedFuture(Boolean.FALSE);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final FerriteCache cache;

    public EmbeddedEngineTarget(final long capacityBytes)
    {
        this.cache = FerriteCache.create(new CacheConfig().capacityBytes(capacityBytes));
    }

    @Override
    public String name()
    {
        return "ferrite engine (embedded)";
    }

    @Override
    public CompletableFuture<Boolean> read(final byte[] key)
    {
        return cache.get(key) != null ? HIT : MISS;
    }

    @Override
    public CompletableFuture<Void> write(final byte[] key, final byte[] value)
    {
        cache.put(key, value);
        return DONE;
    }

    @Override
    public void close()
    {
        cache.close();
    }
}
