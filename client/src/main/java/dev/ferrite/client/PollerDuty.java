package dev.ferrite.client;

import java.util.concurrent.atomic.AtomicReference;

import org.agrona.concurrent.Agent;

/**
 * The poller's duty cycle (the client's media driver, when embedded, and the response poller), run by
 * whichever thread holds it: the poller thread, or a caller waiting for a sync answer.
 *
 * <p>Why: a sync caller that parks and waits for the poller to hand it its answer pays two thread
 * hops per round trip (wake the poller to send, then be woken by it), each a scheduler decision; on a
 * 2-core machine that was most of a 106 us get against 13 us for raw Aeron driven inline. A waiting
 * caller that can take the duty instead sends its own request (the driver's sender), reads the
 * answers (its own and anyone else's, completing them as the poller would) and never parks while the
 * duty has work. The poller thread keeps running the duty whenever no caller holds it, so async
 * requests, heartbeats and timeouts go on as before.
 *
 * <p>Exclusion is one CAS on {@link #runner}: the driver's invoker, the Aeron conductor and the
 * poller's fragment assembler are single-threaded, and the CAS and the release store give each
 * holder a happens-before edge from the previous one. A thread that finds the duty held does not
 * wait: it returns 0 and idles as it would have. Async continuations may therefore run on a sync
 * caller's thread while it holds the duty; like continuations on the poller thread, they must not
 * block, and a sync call from inside one is refused ({@link #isDutyThread()}). Progress: never blocks.
 */
final class PollerDuty implements Agent
{
    private final Agent duty;
    private final AtomicReference<Thread> runner = new AtomicReference<>();
    private volatile Thread pollerThread;

    PollerDuty(final Agent duty)
    {
        this.duty = duty;
    }

    @Override
    public void onStart()
    {
        pollerThread = Thread.currentThread();
        duty.onStart();
    }

    /** The poller thread's cycle. */
    @Override
    public int doWork() throws Exception
    {
        return runIfFree(); // 0 while a waiting caller runs it
    }

    /**
     * A waiting caller's turn: runs one duty cycle if no other thread is running it.
     *
     * @return the work done, 0 when the duty was held elsewhere.
     */
    int runForCaller()
    {
        try
        {
            return runIfFree();
        }
        catch (final Exception ex)
        {
            // The poller thread's runner would log it; the caller's own call is not the one that failed.
            System.err.println("ferrite client poller duty (on a caller): " + ex);
            return 1;
        }
    }

    /** One duty cycle if no other thread holds the duty; 0 otherwise. */
    private int runIfFree() throws Exception
    {
        if (!runner.compareAndSet(null, Thread.currentThread()))
        {
            return 0;
        }
        try
        {
            return duty.doWork();
        }
        finally
        {
            runner.set(null);
        }
    }

    /** True on the poller thread, or on a thread running the duty now: a sync call there would wait for itself. */
    boolean isDutyThread()
    {
        final Thread self = Thread.currentThread();
        return self == pollerThread || runner.get() == self;
    }

    @Override
    public void onClose()
    {
        duty.onClose();
    }

    @Override
    public String roleName()
    {
        return duty.roleName();
    }
}
