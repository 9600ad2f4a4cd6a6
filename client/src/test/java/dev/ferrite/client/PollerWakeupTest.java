package dev.ferrite.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;

class PollerWakeupTest
{
    @Test
    void shouldEndTheParkOfAnIdlePollerWhenWoken() throws Exception
    {
        // A delegate that parks (LockSupport) for 10 s at once: only a wake-up can end its idle() in time.
        final long tenSecondsNs = TimeUnit.SECONDS.toNanos(10);
        final PollerWakeup wakeup = new PollerWakeup(new BackoffIdleStrategy(0, 0, tenSecondsNs, tenSecondsNs));
        final CountDownLatch idled = new CountDownLatch(1);
        final Thread poller = new Thread(() ->
        {
            wakeup.idle(0);
            idled.countDown();
        });
        poller.setDaemon(true);
        poller.start();
        final long startNs = System.nanoTime();
        while (idled.getCount() > 0 && System.nanoTime() - startNs < TimeUnit.SECONDS.toNanos(5))
        {
            wakeup.wake(); // repeated: the first may come before the poller parks (then it only sets the permit)
            Thread.sleep(10);
        }
        assertTrue(idled.await(1, TimeUnit.SECONDS), "the poller was still parked after wake-ups");
        assertTrue(System.nanoTime() - startNs < TimeUnit.SECONDS.toNanos(5), "woken only by its own timeout");
    }
}
