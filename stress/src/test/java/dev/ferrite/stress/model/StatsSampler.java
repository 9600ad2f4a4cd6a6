package dev.ferrite.stress.model;

import dev.ferrite.engine.CacheStats;
import dev.ferrite.engine.FerriteCache;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Reads the cache's statistics over and over while the workers run, and checks what must hold at
 * every instant: the allocation never exceeds the budget, the log never claims more than the
 * allocation, and counters that only count up never go down.
 */
final class StatsSampler implements Runnable
{
    private static final int MAX_VIOLATIONS = 10;

    private final FerriteCache cache;
    private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;
    private long samples;
    private CacheStats previous;

    StatsSampler(final FerriteCache cache)
    {
        this.cache = cache;
    }

    @Override
    public void run()
    {
        while (running && violations.size() < MAX_VIOLATIONS)
        {
            check(cache.stats());
            samples++;
            Thread.yield();
        }
    }

    void stop()
    {
        running = false;
    }

    long samples()
    {
        return samples;
    }

    List<String> violations()
    {
        return List.copyOf(violations);
    }

    private void check(final CacheStats s)
    {
        expect(s.allocatedBytes() <= s.capacityBytes(), "allocatedBytes > capacityBytes", s);
        expect(s.bytesInUse() <= s.allocatedBytes(), "bytesInUse > allocatedBytes", s);
        if (previous != null)
        {
            expect(s.hits() >= previous.hits() && s.misses() >= previous.misses() && s.puts() >= previous.puts() &&
                s.removes() >= previous.removes() && s.evictions() >= previous.evictions() &&
                s.expirations() >= previous.expirations() && s.relocations() >= previous.relocations(),
                "a monotonic counter went down since " + previous, s);
        }
        previous = s;
    }

    private void expect(final boolean condition, final String message, final CacheStats stats)
    {
        if (!condition)
        {
            violations.add("stats sample " + samples + ": " + message + ": " + stats);
        }
    }
}
