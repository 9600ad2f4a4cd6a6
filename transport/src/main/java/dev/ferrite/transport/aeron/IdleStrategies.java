package dev.ferrite.transport.aeron;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * Idle strategies by name, for configuration files and flags.
 *
 * <p>{@code backoff} is the default: it spins briefly, yields, then parks up to 1 ms, which keeps
 * latency low under load without starving a small machine when idle (a busy-spinning ping-pong on
 * 2 cores measured 2 ms at p50). {@code busy-spin} is for dedicated cores on real hardware.
 */
public final class IdleStrategies
{
    public static final String BACKOFF = "backoff";
    public static final String YIELDING = "yielding";
    public static final String SLEEPING = "sleeping";
    public static final String BUSY_SPIN = "busy-spin";

    private IdleStrategies()
    {
    }

    /**
     * A new idle strategy (they hold state, so never share one between agents).
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones.
     */
    public static IdleStrategy create(final String name)
    {
        switch (name.toLowerCase(Locale.ROOT))
        {
            case BACKOFF:
                return new BackoffIdleStrategy(100, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1));
            case YIELDING:
                return YieldingIdleStrategy.INSTANCE;
            case SLEEPING:
                return new SleepingMillisIdleStrategy(1);
            case BUSY_SPIN:
                return BusySpinIdleStrategy.INSTANCE;
            default:
                throw new IllegalArgumentException(
                    "unknown idle strategy '" + name + "': use one of " + BACKOFF + ", " + YIELDING + ", " + SLEEPING + ", " + BUSY_SPIN);
        }
    }
}
