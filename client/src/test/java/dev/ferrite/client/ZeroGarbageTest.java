package dev.ferrite.client;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import static org.junit.jupiter.api.Assertions.*;

/** The DirectBuffer calls allocate nothing on the calling thread once warm, MOVED-free and with open sessions. */
class ZeroGarbageTest
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private static final UnsafeBuffer COUNTER = new UnsafeBuffer("counter!".getBytes(StandardCharsets.US_ASCII));
    private static final int WINDOWS = 5;
    private static final int ROUNDS_PER_WINDOW = 200;
    private static final int CALLS_PER_ROUND = 6;

    /**
     * With the client's own embedded media driver, whose duty a waiting caller runs. Not on JDK 25:
     * there Aeron 1.51.0's driver allocates on that duty (ControlTransportPoller.pollTransports
     * iterates its ArrayList with an iterator, which C2 on JDK 25 often leaves unreplaced: JFR showed
     * ArrayList$Itr from Sender.doWork, about 400 bytes a call), whatever this client does. The test
     * below measures the same calls with the driver on a thread of its own, on every JDK.
     */
    @Test
    @EnabledForJreRange(max = JRE.JAVA_24)
    void shouldAllocateNothingPerCallOnTheBufferPathInSteadyState()
    {
        try (RealCluster cluster = new RealCluster(3, null);
            FerriteClient client = FerriteClient.connect(new ClientConfig().seeds(cluster.seeds()).requestTimeoutMs(5000)))
        {
            assertQuietestWindowAllocatesNothing(client);
        }
    }

    /** The client's own code path: the media driver runs on the nodes' driver thread, not the caller's. */
    @Test
    void shouldAllocateNothingPerCallOnTheBufferPathWithAnExternalDriver()
    {
        try (RealCluster cluster = new RealCluster(3, null);
            FerriteClient client = FerriteClient.connect(new ClientConfig().seeds(cluster.seeds()).requestTimeoutMs(5000)
                .aeronDirectoryName(cluster.aeronDirectoryName())))
        {
            assertQuietestWindowAllocatesNothing(client);
        }
    }

    private static void assertQuietestWindowAllocatesNothing(final FerriteClient client)
    {
        final UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
        final UnsafeBuffer value = new UnsafeBuffer(new byte[100]);
        final UnsafeBuffer destination = new UnsafeBuffer(new byte[100]);
        final EntryInfo info = new EntryInfo();
        runOperations(client, key, value, destination, info, 300); // warm up: sessions to every node, JIT

        // A call path that allocates costs at least one object header (16 bytes) per call: 19,200
        // bytes per window of 1,200 calls. But a waiting caller also runs the poller's duty (the
        // Aeron conductor, and the driver when it is embedded), whose timed work allocates a few hundred bytes
        // per window whatever the calls (seldom-run code not yet compiled, and more of it when a
        // loaded machine stretches the window), and a deoptimization may rematerialize objects the
        // JIT had scalar-replaced. So: the quietest window must allocate less than a byte per call
        // (on a quiet machine it allocates nothing).
        final long threadId = Thread.currentThread().getId();
        final long calibrationStart = THREADS.getThreadAllocatedBytes(threadId);
        final long measuringCost = THREADS.getThreadAllocatedBytes(threadId) - calibrationStart;
        final List<Long> bytesPerWindow = new ArrayList<>();
        for (int window = 0; window < WINDOWS && (bytesPerWindow.isEmpty() || bytesPerWindow.get(window - 1) != 0); window++)
        {
            final long before = THREADS.getThreadAllocatedBytes(threadId);
            runOperations(client, key, value, destination, info, ROUNDS_PER_WINDOW);
            bytesPerWindow.add(THREADS.getThreadAllocatedBytes(threadId) - before - measuringCost);
        }
        System.out.println("client zero-garbage windows (bytes): " + bytesPerWindow);
        final long quietest = bytesPerWindow.stream().mapToLong(Long::longValue).min().orElseThrow();
        assertTrue(quietest < CALLS_PER_ROUND * ROUNDS_PER_WINDOW,
            "bytes allocated per window of " + ROUNDS_PER_WINDOW + " rounds of set, get, touch, increment, delete and get-miss: " + bytesPerWindow);
    }

    private static void runOperations(
        final FerriteClient client, final UnsafeBuffer key, final UnsafeBuffer value, final UnsafeBuffer destination, final EntryInfo info,
        final int rounds)
    {
        for (int i = 0; i < rounds; i++)
        {
            key.putLong(0, i);
            key.putLong(8, i * 31L);
            value.putInt(0, i);
            final long version = client.set(key, 0, 16, value, 0, 100, 0);
            if (version <= 0)
            {
                fail("set answered " + version + " at round " + i);
            }
            if (client.get(key, 0, 16, destination, 0, info) != 100 || destination.getInt(0) != i || info.version() != version)
            {
                fail("read back another value or version at round " + i);
            }
            if (client.touch(key, 0, 16, 60_000) != 0)
            {
                fail("touch missed the key at round " + i);
            }
            if (client.increment(COUNTER, 0, 8, 1, 1, 0) <= 0)
            {
                fail("increment did not count at round " + i);
            }
            if (client.delete(key, 0, 16, 0) != 0 || client.get(key, 0, 16, destination, 0) != ClientStatus.NOT_FOUND)
            {
                fail("delete did not take effect at round " + i);
            }
        }
    }
}
