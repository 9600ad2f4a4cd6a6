package dev.ferrite.client;

import java.util.concurrent.locks.Lock;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;

/**
 * Runs the client's embedded media driver (launched in INVOKER mode, no thread of its own) as part of
 * the poller's duty cycle, so one thread both moves bytes between the sockets and the term buffers and
 * reads the answers. On a 2-core machine the driver's own SHARED thread was the client's busiest thread
 * (about 60% of a core under load), competing with the poller, the requesters and the node.
 *
 * <p>Mutual exclusion: the driver's invoker is not thread-safe, and a caller thread that adds a
 * publication (opening a session) invokes it too, from inside the Aeron client's conductor while it
 * waits for the driver's answer, holding the Aeron client lock. So this agent invokes the driver only
 * when it can take that same lock without waiting ({@code tryLock}); when a caller holds it, the caller
 * is running the driver, and this cycle skips it.
 *
 * <p>Aeron requires the client's conductor to be invoked too when the driver is (no conductor thread
 * either); its duty cycle takes the same lock with {@code tryLock} itself, and image callbacks
 * ({@link ReplyImages}) then run here. The conductor must run at least once per Aeron's inter-service
 * timeout (10 s), so async continuations on the poller must stay short (they must already: see
 * {@link ResponsePoller}). Progress: never blocks.
 */
final class DriverDuty implements Agent
{
    private final AgentInvoker driverInvoker;
    private final AgentInvoker conductorInvoker;
    private final Lock aeronClientLock;

    DriverDuty(final AgentInvoker driverInvoker, final AgentInvoker conductorInvoker, final Lock aeronClientLock)
    {
        this.driverInvoker = driverInvoker;
        this.conductorInvoker = conductorInvoker;
        this.aeronClientLock = aeronClientLock;
    }

    @Override
    public int doWork()
    {
        int work = conductorInvoker.invoke();
        if (aeronClientLock.tryLock())
        {
            try
            {
                work += driverInvoker.invoke();
            }
            finally
            {
                aeronClientLock.unlock();
            }
        }
        return work;
    }

    @Override
    public String roleName()
    {
        return "ferrite-client-driver";
    }
}
