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
 * <p>{@code backoff} is the default: 10 spins, 5 yields, then parks from 1 µs doubling up to 200 µs.
 * Why so few spins: our agents' duty cycles include a media driver's (a {@code recvfrom} per
 * transport), so one "spin" is a full cycle of system calls, not a pause instruction; 100 spins kept the
 * client's poller at ~100% of a core at 5,000 requests/s on 2 cores. Why 200 µs at most (was 1 ms): a
 * request that finds a node parked waits out the park, and at low rates every request did (p50 at
 * 1,000 requests/s was 2 ms against 0.5 ms unloaded); an idle agent then wakes ~5,000 times a second,
 * a few percent of a core. A busy-spinning ping-pong on 2 cores measured 2 ms at p50, so
 * {@code busy-spin} is for dedicated cores on real hardware only.
 *
 * <p>The backoff's numbers can be changed without a rebuild, for tuning on other hardware, with
 * {@code -Dferrite.idle.backoff=maxSpins,maxYields,minParkNs,maxParkNs}.
 */
public final class IdleStrategies
{
    public static final String BACKOFF = "backoff";
    public static final String YIELDING = "yielding";
    public static final String SLEEPING = "sleeping";
    public static final String BUSY_SPIN = "busy-spin";
    /** System property overriding the backoff's numbers: {@code maxSpins,maxYields,minParkNs,maxParkNs}. */
    public static final String BACKOFF_PROPERTY = "ferrite.idle.backoff";
    static final String DEFAULT_BACKOFF = "10,5,1000,200000";

    private IdleStrategies()
    {
    }

    /** A backoff strategy from {@code maxSpins,maxYields,minParkNs,maxParkNs}. */
    static IdleStrategy backoff(final String spec)
    {
        final String[] parts = spec.split(",");
        try
        {
            if (parts.length == 4)
            {
                final long spins = Long.parseLong(parts[0].trim());
                final long yields = Long.parseLong(parts[1].trim());
                final long minParkNs = Long.parseLong(parts[2].trim());
                final long maxParkNs = Long.parseLong(parts[3].trim());
                if (spins >= 0 && yields >= 0 && minParkNs > 0 && maxParkNs >= minParkNs)
                {
                    return new BackoffIdleStrategy(spins, yields, minParkNs, maxParkNs);
                }
            }
        }
        catch (final NumberFormatException ignore)
        {
            // reported below with the expected form
        }
        throw new IllegalArgumentException(BACKOFF_PROPERTY + "='" + spec +
            "': expected maxSpins,maxYields,minParkNs,maxParkNs (spins, yields >= 0; 0 < minParkNs <= maxParkNs)");
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
                return backoff(System.getProperty(BACKOFF_PROPERTY, DEFAULT_BACKOFF));
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
