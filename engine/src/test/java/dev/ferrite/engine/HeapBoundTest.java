package dev.ferrite.engine;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Ten million entries in a JVM limited to a 64 MiB heap: keys, values and index live off-heap, so
 * heap use does not grow with the number of entries.
 */
class HeapBoundTest
{
    static final int ENTRIES = 10_000_000;

    @Test
    void shouldHoldTenMillionEntriesUnderA64MiBHeap() throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.add("-Xmx64m");
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(a -> a.startsWith("--add-"))
            .toList());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(HeapBoundTest.class.getName());
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final StringBuilder output = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                output.append(line).append('\n');
            }
        }
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "child JVM timed out");
        assertEquals(0, process.exitValue(), output.toString());
        assertTrue(output.toString().contains("entries=" + ENTRIES), output.toString());
    }

    /** The child: fills the store, checks every 1000th entry, and reports heap use after a GC. */
    public static void main(final String[] args)
    {
        final long capacity = 1L << 30;
        try (FerriteCache cache = FerriteCache.create(new CacheConfig().capacityBytes(capacity).averageEntryBytes(24)))
        {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[8]);
            for (int i = 0; i < ENTRIES; i++)
            {
                key.putLong(0, i);
                key.putLong(8, ~i);
                value.putLong(0, i * 7L);
                final long version = cache.put(key, 0, 16, value, 0, 8, 0);
                if (version <= 0)
                {
                    throw new IllegalStateException("put " + i + " failed: " + Status.describe(version));
                }
            }
            final UnsafeBuffer destination = new UnsafeBuffer(new byte[8]);
            for (int i = 0; i < ENTRIES; i += 1000)
            {
                key.putLong(0, i);
                key.putLong(8, ~i);
                if (cache.get(key, 0, 16, destination, 0, null) != 8 || destination.getLong(0) != i * 7L)
                {
                    throw new IllegalStateException("entry " + i + " lost or wrong");
                }
            }
            System.gc();
            final long heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            final CacheStats stats = cache.stats();
            if (stats.evictions() != 0)
            {
                throw new IllegalStateException("evicted " + stats.evictions() + ": the store is too small for the test");
            }
            System.out.println("entries=" + stats.entries() + " heapUsedBytes=" + heapUsed +
                " offHeapBytes=" + stats.allocatedBytes() + " bytesInUse=" + stats.bytesInUse());
        }
    }
}
