package dev.ferrite.transport.aeron;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;

import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import java.io.File;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An Aeron media driver inside this JVM, with its own directory under {@code /dev/shm} (or the temp
 * directory where there is none) that is deleted on start and on close.
 *
 * <p>Why these settings: one shared driver thread (a 2-core machine cannot spare three), an idle
 * strategy chosen by name (backoff by default, see {@link IdleStrategies}), and sparse term buffers
 * so that the 16 MiB terms that 1 MiB values need (Aeron's largest message is a term / 8) take
 * memory only as they are written.
 */
public final class EmbeddedMediaDriver implements AutoCloseable
{
    private static final File SHM = new File("/dev/shm");
    /** How long the idle async executor sleeps: its tasks happen when sessions open, not per request. */
    private static final long ASYNC_EXECUTOR_SLEEP_MS = 10;

    private final MediaDriver driver;

    private EmbeddedMediaDriver(final MediaDriver driver)
    {
        this.driver = driver;
    }

    /**
     * @param name         a label for the directory name, e.g. {@code node-1} or {@code client}.
     * @param idleStrategy a name {@link IdleStrategies#create(String)} knows.
     */
    public static EmbeddedMediaDriver launch(final String name, final String idleStrategy)
    {
        return new EmbeddedMediaDriver(MediaDriver.launch(context(name)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(IdleStrategies.create(idleStrategy))));
    }

    /**
     * A driver with no thread of its own ({@link ThreadingMode#INVOKER}): its owner runs its duty
     * cycle with {@link #invoker()} from an agent it already has, and gives the same invoker to its
     * Aeron client ({@code Aeron.Context#driverAgentInvoker}) so that client calls can wait for the
     * driver. On a machine with few cores this saves a busy thread per process.
     */
    public static EmbeddedMediaDriver launchInvoked(final String name)
    {
        return new EmbeddedMediaDriver(MediaDriver.launch(context(name).threadingMode(ThreadingMode.INVOKER)));
    }

    private static MediaDriver.Context context(final String name)
    {
        return new MediaDriver.Context()
            .aeronDirectoryName(uniqueDirectory(name))
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .termBufferSparseFile(true)
            // The driver's async executor (name resolution, log buffer setup: at session open only)
            // polls with Aeron's default backoff: ~3-5% of a core per process when idle on 2 cores.
            .asyncExecutorIdleStrategy(new SleepingMillisIdleStrategy(ASYNC_EXECUTOR_SLEEP_MS))
            .publicationTermBufferLength(TermLengths.TERM_LENGTH)
            .ipcTermBufferLength(TermLengths.TERM_LENGTH);
    }

    /** The driver's duty cycle when launched with {@link #launchInvoked(String)}; null otherwise. */
    public AgentInvoker invoker()
    {
        return driver.sharedAgentInvoker();
    }

    /** Give this to {@code Aeron.Context#aeronDirectoryName} to connect a client to the driver. */
    public String aeronDirectoryName()
    {
        return driver.aeronDirectoryName();
    }

    @Override
    public void close()
    {
        driver.close();
    }

    private static String uniqueDirectory(final String name)
    {
        final File base = SHM.isDirectory() ? SHM : new File(System.getProperty("java.io.tmpdir"));
        final String unique = "ferrite-" + name.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + ProcessHandle.current().pid() +
            "-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        return new File(base, unique).getAbsolutePath();
    }
}
