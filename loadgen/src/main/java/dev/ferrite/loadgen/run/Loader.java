package dev.ferrite.loadgen.run;

import dev.ferrite.loadgen.keys.KeyFormat;
import dev.ferrite.loadgen.target.LoadTarget;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes records {@code [0, records)} before a run, pipelined, each requester taking every
 * {@code requesters}-th index.
 */
public final class Loader
{
    private Loader()
    {
    }

    /**
     * @return records written.
     * @throws IllegalStateException when a write failed, with the first failure as its cause.
     */
    public static long load(
        final LoadTarget target,
        final KeyFormat keys,
        final long records,
        final int requesters,
        final int pipelineDepth) throws InterruptedException
    {
        final AtomicLong written = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < requesters; i++)
        {
            final int first = i;
            final LoadTarget view = target.forRequester(i);
            final Thread thread = new Thread(() -> loadShare(view, keys, records, requesters, first, pipelineDepth, written, failure),
                "loader-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        for (final Thread thread : threads)
        {
            thread.join();
        }
        if (failure.get() != null)
        {
            throw new IllegalStateException("loading failed after " + written.get() + " records", failure.get());
        }
        return written.get();
    }

    private static void loadShare(
        final LoadTarget target,
        final KeyFormat keys,
        final long records,
        final int stride,
        final int first,
        final int pipelineDepth,
        final AtomicLong written,
        final AtomicReference<Throwable> failure)
    {
        final Semaphore permits = new Semaphore(pipelineDepth);
        try
        {
            for (long index = first; index < records && failure.get() == null; index += stride)
            {
                permits.acquire();
                target.write(keys.key(index), keys.value(index)).whenComplete((ok, error) ->
                {
                    if (error != null)
                    {
                        failure.compareAndSet(null, error);
                    }
                    else
                    {
                        written.incrementAndGet();
                    }
                    permits.release();
                });
            }
            if (!permits.tryAcquire(pipelineDepth, 30, TimeUnit.SECONDS))
            {
                failure.compareAndSet(null, new IllegalStateException("writes still unanswered after 30 s"));
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final RuntimeException ex)
        {
            failure.compareAndSet(null, ex);
        }
    }
}
