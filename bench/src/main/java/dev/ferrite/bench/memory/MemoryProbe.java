package dev.ferrite.bench.memory;

import dev.ferrite.bench.Args;
import dev.ferrite.bench.ChildJvm;
import dev.ferrite.bench.data.Keys;
import dev.ferrite.bench.peers.BenchStore;
import dev.ferrite.bench.peers.FerriteStore;
import dev.ferrite.bench.peers.Implementation;
import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.CacheStats;
import dev.ferrite.engine.FerriteCache;
import dev.ferrite.engine.log.SegmentTable;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Measures the memory of one implementation holding N entries, in a JVM of its own (started by
 * {@link MemoryMain}). Heap: used heap after full GCs, before and after loading. Native: the
 * library's own count (Chronicle Map {@code offHeapMemoryUsed}, OHC {@code memUsed}, Ferrite
 * {@code allocatedBytes}). RSS growth is printed as a cross-check.
 *
 * <p>Ferrite is measured full: budgeted for N records with no headroom, then fed distinct keys
 * until it evicts and for 10% more, so the entries it holds are what its budget really buys.
 * Everything it allocated counts, and the overhead is split into its parts.
 */
public final class MemoryProbe
{
    private MemoryProbe()
    {
    }

    public static void main(final String[] arguments) throws IOException
    {
        final Args args = new Args(arguments, "implementation", "entries", "valueBytes");
        final Implementation implementation = Implementation.parse(args.get("implementation", "ferrite"));
        final int entries = args.getInt("entries", 1_000_000);
        final int valueBytes = args.getInt("valueBytes", 100);

        if (implementation == Implementation.FERRITE || implementation == Implementation.FERRITE_BYTES)
        {
            probeFerrite(entries, valueBytes);
            return;
        }
        final long heapBefore = usedHeapAfterGc();
        final long rssBefore = rssBytes();
        final BenchStore store = implementation.create(entries, valueBytes);
        final BenchStore.Loader loader = store.loader();
        for (int i = 0; i < entries; i++)
        {
            loader.load(i);
        }
        final long heapBytes = usedHeapAfterGc() - heapBefore;
        final long rssBytes = rssBytes() - rssBefore;
        final long nativeBytes = Math.max(0, store.nativeBytes());
        final long held = store.size();
        result(implementation.id(), entries, valueBytes, held, heapBytes, nativeBytes, rssBytes, store.describe());
        store.close();
    }

    private static void probeFerrite(final int entries, final int valueBytes) throws IOException
    {
        final int keyCount = entries + entries / 5;
        final UnsafeBuffer keys = Keys.offHeap(keyCount);
        // One shard: with no headroom, a shard that drew more than its share of keys would evict.
        final CacheConfig config = FerriteStore.config(entries, valueBytes, 1.0, 1);
        final long heapBefore = usedHeapAfterGc();
        final long rssBefore = rssBytes();
        final FerriteStore store = new FerriteStore(config, keys, valueBytes, false);
        final BenchStore.Loader loader = store.loader();
        int next = 0;
        while (next < keyCount && store.cache().stats().evictions() == 0)
        {
            for (int end = Math.min(keyCount, next + 10_000); next < end; next++)
            {
                loader.load(next);
            }
        }
        final int fillTo = Math.min(keyCount, next + entries / 10);
        for (; next < fillTo; next++)
        {
            loader.load(next);
        }
        final long heapBytes = usedHeapAfterGc() - heapBefore;
        final long rssBytes = rssBytes() - rssBefore;
        final FerriteCache cache = store.cache();
        final CacheStats stats = cache.stats();
        final long held = cache.size();
        result("ferrite", entries, valueBytes, held, heapBytes, stats.allocatedBytes(), rssBytes,
            store.describe() + ", loaded " + next + " distinct keys, evictions=" + stats.evictions());

        final CacheConfig concluded = cache.config();
        final int recordBytes = dev.ferrite.engine.log.RecordDescriptor.recordLength(Keys.KEY_BYTES, valueBytes);
        final long dataBytes = (long)concluded.segmentCount() * concluded.segmentBytes();
        System.out.println(ChildJvm.RESULT_PREFIX + String.join("\t", "breakdown", Long.toString(held),
            per(32L * held, held),
            per((long)(recordBytes - 32 - Keys.KEY_BYTES - valueBytes) * held, held),
            per(concluded.indexSlots() * 8, held),
            per(CacheConfig.policyBytes(concluded.indexSlots()), held),
            per((long)concluded.segmentCount() * SegmentTable.ENTRY_LENGTH, held),
            per(dataBytes - (long)recordBytes * held, held)));
        store.close();
    }

    private static String per(final long bytes, final long entries)
    {
        return String.format(Locale.ROOT, "%.2f", (double)bytes / entries);
    }

    private static void result(final String id, final int entries, final int valueBytes, final long held,
        final long heapBytes, final long nativeBytes, final long rssBytes, final String description)
    {
        System.out.println(ChildJvm.RESULT_PREFIX + String.join("\t", "memory", id, Integer.toString(entries),
            Integer.toString(valueBytes), Long.toString(held), Long.toString(heapBytes), Long.toString(nativeBytes),
            Long.toString(rssBytes), description.replace('\t', ' ')));
    }

    static long usedHeapAfterGc()
    {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++)
        {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Resident set size from /proc/self/status, or 0 where there is none. */
    static long rssBytes() throws IOException
    {
        final Path status = Path.of("/proc/self/status");
        if (!Files.exists(status))
        {
            return 0;
        }
        for (final String line : Files.readAllLines(status))
        {
            if (line.startsWith("VmRSS:"))
            {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 0;
    }
}
