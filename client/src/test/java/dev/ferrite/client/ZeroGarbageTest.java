package dev.ferrite.client;

import java.lang.management.ManagementFactory;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The DirectBuffer calls allocate nothing on the calling thread once warm, MOVED-free and with open sessions. */
class ZeroGarbageTest
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @Test
    void shouldAllocateNothingPerGetSetAndDeleteInSteadyState()
    {
        try (FakeCluster cluster = new FakeCluster(3, null);
            FerriteClient client = FerriteClient.connect(new ClientConfig().seeds(cluster.seeds()).requestTimeoutMs(5000)))
        {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[100]);
            final UnsafeBuffer destination = new UnsafeBuffer(new byte[100]);
            final EntryInfo info = new EntryInfo();
            for (int i = 0; i < 2; i++)
            {
                runOperations(client, key, value, destination, info, 200); // warm up: JIT, sessions to every node
            }

            final long threadId = Thread.currentThread().getId();
            final long calibrationStart = THREADS.getThreadAllocatedBytes(threadId);
            final long before = THREADS.getThreadAllocatedBytes(threadId);
            final long measuringCost = before - calibrationStart;
            runOperations(client, key, value, destination, info, 200);
            final long after = THREADS.getThreadAllocatedBytes(threadId);
            assertEquals(0, after - before - measuringCost, "bytes allocated by 200 rounds of set, get, get-miss and delete");
        }
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
            assertTrue(version > 0);
            if (client.get(key, 0, 16, destination, 0, info) != 100 || destination.getInt(0) != i || info.version() != version)
            {
                fail("read back another value or version at round " + i);
            }
            if (client.delete(key, 0, 16, 0) != 0 || client.get(key, 0, 16, destination, 0) != ClientStatus.NOT_FOUND)
            {
                fail("delete did not take effect at round " + i);
            }
        }
    }
}
