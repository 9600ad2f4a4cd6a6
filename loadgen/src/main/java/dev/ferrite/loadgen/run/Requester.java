package dev.ferrite.loadgen.run;

import dev.ferrite.loadgen.keys.InsertCounter;
import dev.ferrite.loadgen.keys.KeyChooser;
import dev.ferrite.loadgen.keys.KeyFormat;
import dev.ferrite.loadgen.target.LoadTarget;
import dev.ferrite.loadgen.workload.Operation;
import dev.ferrite.loadgen.workload.Workload;

import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One requester: a thread that keeps up to {@code permits} requests in flight against its own view
 * of the target.
 *
 * <p>Closed loop: it issues the next request as soon as a permit comes back and times each request
 * from when it was sent. Open loop: requests are due at fixed intervals; each is timed from when it
 * was due, not when it could be sent, so a stalled target shows up as the latency every queued
 * request really saw (Gil Tene's correction for coordinated omission).
 */
final class Requester implements Runnable
{
    private static final int VALUE_POOL = 64;

    private final LoadTarget target;
    private final Workload workload;
    private final KeyFormat keys;
    private final KeyChooser chooser;
    private final InsertCounter records;
    private final LatencyRecorders recorders;
    private final RunCounters counters;
    private final RunControl control;
    private final SplittableRandom random;
    private final Semaphore permits;
    private final int permitCount;
    private final long intervalNs;
    private final long firstDueNs;
    private final byte[][] values = new byte[VALUE_POOL][];

    Requester(
        final LoadTarget target,
        final Workload workload,
        final KeyFormat keys,
        final KeyChooser chooser,
        final InsertCounter records,
        final LatencyRecorders recorders,
        final RunCounters counters,
        final RunControl control,
        final long seed,
        final int permitCount,
        final long intervalNs,
        final long firstDueNs)
    {
        this.target = target;
        this.workload = workload;
        this.keys = keys;
        this.chooser = chooser;
        this.records = records;
        this.recorders = recorders;
        this.counters = counters;
        this.control = control;
        this.random = new SplittableRandom(seed);
        this.permitCount = permitCount;
        this.permits = new Semaphore(permitCount);
        this.intervalNs = intervalNs;
        this.firstDueNs = firstDueNs;
        for (int i = 0; i < VALUE_POOL; i++)
        {
            values[i] = keys.value(seed * VALUE_POOL + i); // reused: generating a value per write is garbage
        }
    }

    @Override
    public void run()
    {
        try
        {
            if (intervalNs > 0)
            {
                runOpenLoop();
            }
            else
            {
                runClosedLoop();
            }
            // Let what is in flight land (counted in the last interval), but never hang on a dead target.
            permits.tryAcquire(permitCount, 10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void runClosedLoop() throws InterruptedException
    {
        while (control.running())
        {
            permits.acquire();
            issue(System.nanoTime());
        }
    }

    private void runOpenLoop() throws InterruptedException
    {
        long dueNs = firstDueNs;
        while (control.running())
        {
            long waitNs;
            while ((waitNs = dueNs - System.nanoTime()) > 0)
            {
                LockSupport.parkNanos(Math.min(waitNs, 100_000));
            }
            permits.acquire(); // blocking here delays sending, not the due time it is measured from
            issue(dueNs);
            dueNs += intervalNs;
        }
    }

    private void issue(final long dueNs)
    {
        final Operation operation = workload.next(random);
        try
        {
            switch (operation)
            {
                case READ:
                    target.read(keys.key(chooser.nextIndex())).whenComplete((hit, error) -> completeRead(dueNs, hit, error));
                    break;
                case UPDATE:
                    target.write(keys.key(chooser.nextIndex()), nextValue()).whenComplete((ok, error) -> complete(Operation.UPDATE, dueNs, error));
                    break;
                case INSERT:
                    target.write(keys.key(records.nextInsertIndex()), nextValue()).whenComplete((ok, error) -> complete(Operation.INSERT, dueNs, error));
                    break;
                case READ_MODIFY_WRITE:
                default:
                    final byte[] key = keys.key(chooser.nextIndex());
                    final byte[] value = nextValue();
                    final CompletableFuture<Void> both = target.read(key).thenCompose(hit -> target.write(key, value));
                    both.whenComplete((ok, error) -> complete(Operation.READ_MODIFY_WRITE, dueNs, error));
                    break;
            }
        }
        catch (final RuntimeException ex)
        {
            complete(operation, dueNs, ex); // a client that throws instead of failing its future
        }
    }

    private byte[] nextValue()
    {
        return values[random.nextInt(VALUE_POOL)];
    }

    private void completeRead(final long dueNs, final Boolean hit, final Throwable error)
    {
        if (error == null)
        {
            (Boolean.TRUE.equals(hit) ? counters.hits : counters.misses).increment();
        }
        complete(Operation.READ, dueNs, error);
    }

    private void complete(final Operation operation, final long dueNs, final Throwable error)
    {
        if (error != null)
        {
            counters.error(error);
        }
        else
        {
            recorders.record(operation, System.nanoTime() - dueNs);
        }
        permits.release();
    }
}
