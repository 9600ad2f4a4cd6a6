package dev.ferrite.node.server;

import dev.ferrite.engine.CacheStats;
import dev.ferrite.engine.FerriteCache;

import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Copies the engine's statistics into Aeron counters once a second, so Aeron's tools and the
 * Prometheus endpoint see them beside the node's request counters ({@code engine.hits},
 * {@code engine.entries}, {@code engine.bytesInUse}, ...).
 *
 * <p>Runs on the server's thread as part of its composite agent: the engine's statistics are a sum
 * over per-thread cells, a few hundred nanoseconds, so once a second costs the request path nothing
 * measurable. Counters are set with release stores; readers in other processes see whole values.
 * They are freed with the node's Aeron client.
 */
public final class EngineStatsAgent implements Agent
{
    static final long INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private static final String[] NAMES = {
        "engine.hits", "engine.misses", "engine.puts", "engine.removes", "engine.evictions", "engine.expirations",
        "engine.relocations", "engine.entries", "engine.bytesInUse", "engine.capacityBytes" };

    private final FerriteCache cache;
    private final NanoClock clock;
    private final AtomicCounter[] counters = new AtomicCounter[NAMES.length];
    private long nextUpdateNs;

    /**
     * @param counterFactory makes one counter from its label, e.g. {@code label -> aeron.addCounter(type, label)}.
     * @param labelPrefix    prepended to every label, as the node's own counters have.
     */
    public EngineStatsAgent(
        final FerriteCache cache, final NanoClock clock, final Function<String, AtomicCounter> counterFactory, final String labelPrefix)
    {
        this.cache = cache;
        this.clock = clock;
        for (int i = 0; i < NAMES.length; i++)
        {
            counters[i] = counterFactory.apply(labelPrefix + NAMES[i]);
        }
    }

    @Override
    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        if (nowNs - nextUpdateNs < 0)
        {
            return 0;
        }
        nextUpdateNs = nowNs + INTERVAL_NS;
        update(cache.stats());
        return 1;
    }

    void update(final CacheStats stats)
    {
        int i = 0;
        counters[i++].setRelease(stats.hits());
        counters[i++].setRelease(stats.misses());
        counters[i++].setRelease(stats.puts());
        counters[i++].setRelease(stats.removes());
        counters[i++].setRelease(stats.evictions());
        counters[i++].setRelease(stats.expirations());
        counters[i++].setRelease(stats.relocations());
        counters[i++].setRelease(stats.entries());
        counters[i++].setRelease(stats.bytesInUse());
        counters[i].setRelease(stats.capacityBytes());
    }

    @Override
    public String roleName()
    {
        return "engine-stats";
    }
}
