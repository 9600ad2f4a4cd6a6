package dev.ferrite.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One line of {@code memory.tsv} written by {@link dev.ferrite.bench.memory.MemoryMain}. */
public record MemoryRow(String implementation, long entries, int valueBytes, long held, long heapBytes,
    long nativeBytes, long rssBytes, String description, String breakdown)
{
    public static final int KEY_BYTES = 16;

    public double heapPerEntry()
    {
        return (double)heapBytes / held;
    }

    public double nativePerEntry()
    {
        return (double)nativeBytes / held;
    }

    public double overheadPerEntry()
    {
        return heapPerEntry() + nativePerEntry() - KEY_BYTES - valueBytes;
    }

    public boolean onHeap()
    {
        return implementation.equals("caffeine") || implementation.equals("chm");
    }

    public static List<MemoryRow> read(final Path file) throws IOException
    {
        final List<MemoryRow> rows = new ArrayList<>();
        if (!Files.exists(file))
        {
            return rows;
        }
        String pendingBreakdown = null;
        for (final String line : Files.readAllLines(file))
        {
            final String[] f = line.split("\t");
            if (f[0].equals("memory"))
            {
                rows.add(new MemoryRow(f[1], Long.parseLong(f[2]), Integer.parseInt(f[3]), Long.parseLong(f[4]),
                    Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]), f.length > 8 ? f[8] : "", null));
            }
            else if (f[0].equals("breakdown") && !rows.isEmpty())
            {
                final MemoryRow last = rows.remove(rows.size() - 1);
                pendingBreakdown = String.format("header %s + padding %s + index %s + policy (sketch, samples) %s + segment table %s + unused log %s",
                    f[2], f[3], f[4], f[5], f[6], f[7]);
                rows.add(new MemoryRow(last.implementation, last.entries, last.valueBytes, last.held, last.heapBytes,
                    last.nativeBytes, last.rssBytes, last.description, pendingBreakdown));
            }
        }
        return rows;
    }
}
