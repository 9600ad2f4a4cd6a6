package dev.ferrite.bench.throughput;

import dev.ferrite.bench.peers.BenchStore;

import java.util.ArrayList;
import java.util.List;

/** Loads keys {@code [0, entries)} with one thread per core, so a 16-core fork does not wait on one. */
public final class Preloader
{
    private Preloader()
    {
    }

    public static void load(final BenchStore store, final int entries)
    {
        final int threads = Math.max(1, Math.min(16, Runtime.getRuntime().availableProcessors()));
        final List<Thread> loaders = new ArrayList<>();
        final long[] failures = new long[threads];
        for (int t = 0; t < threads; t++)
        {
            final int from = (int)((long)entries * t / threads);
            final int to = (int)((long)entries * (t + 1) / threads);
            final int worker = t;
            final Thread thread = new Thread(() ->
            {
                final BenchStore.Loader loader = store.loader();
                for (int i = from; i < to; i++)
                {
                    if (loader.load(i) <= 0)
                    {
                        failures[worker]++;
                    }
                }
            }, "preload-" + t);
            loaders.add(thread);
            thread.start();
        }
        long failed = 0;
        for (int t = 0; t < threads; t++)
        {
            try
            {
                loaders.get(t).join();
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while preloading", e);
            }
            failed += failures[t];
        }
        final long size = store.size();
        if (failed > 0 || size != entries)
        {
            System.out.println("[bench] WARNING preload: " + failed + " failed writes, size=" + size + " of " + entries);
        }
    }
}
