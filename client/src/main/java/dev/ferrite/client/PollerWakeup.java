package dev.ferrite.client;

import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.IdleStrategy;

/**
 * The poller's idle strategy, wrapped so that a caller that has just put a request in a publication
 * can wake the poller at once instead of waiting out its park.
 *
 * <p>Why: the poller runs the client's media driver (see {@link DriverDuty}), so a request offered
 * while it is parked is not sent until the park ends: up to the backoff's longest park (1 ms by
 * default) added to every request that finds the client idle (at 1,000 requests/s, every one).
 * With the wake-up, an idle client sends within the time it takes to unpark a thread, and a busy
 * client (poller never parked) pays one volatile read per request.
 *
 * <p>Progress: {@link #wake()} is wait-free for callers (a volatile read, and an unpark only while
 * the poller idles); a wake-up that races the start of a park leaves the park's permit set, so that
 * park returns at once. Spurious wake-ups only cost the poller one extra duty cycle.
 */
final class PollerWakeup implements IdleStrategy
{
    private final IdleStrategy delegate;
    private volatile Thread pollerThread;
    private volatile boolean idling;

    PollerWakeup(final IdleStrategy delegate)
    {
        this.delegate = delegate;
    }

    /** Called by a caller thread after a successful offer. */
    void wake()
    {
        if (idling)
        {
            final Thread thread = pollerThread;
            if (thread != null)
            {
                LockSupport.unpark(thread);
            }
        }
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            delegate.idle(workCount);
            return;
        }
        if (pollerThread == null)
        {
            pollerThread = Thread.currentThread();
        }
        idling = true;
        delegate.idle(workCount);
        idling = false;
    }

    @Override
    public void idle()
    {
        idle(0);
    }

    @Override
    public void reset()
    {
        delegate.reset();
    }

    @Override
    public String alias()
    {
        return "wakeable-" + delegate.alias();
    }
}
