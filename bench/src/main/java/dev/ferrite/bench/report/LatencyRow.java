package dev.ferrite.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One line of {@code latency.tsv} written by {@link dev.ferrite.bench.latency.LatencyMain}. */
public record LatencyRow(String implementation, String operation, long count, long p50Ns, long p99Ns, long p999Ns,
    long maxNs, int threads, int getPercent)
{
    public static List<LatencyRow> read(final Path file) throws IOException
    {
        final List<LatencyRow> rows = new ArrayList<>();
        if (!Files.exists(file))
        {
            return rows;
        }
        final List<String> lines = Files.readAllLines(file);
        for (final String line : lines.subList(1, lines.size()))
        {
            final String[] f = line.split("\t");
            rows.add(new LatencyRow(f[0], f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                Long.parseLong(f[5]), Long.parseLong(f[6]), Integer.parseInt(f[7]), Integer.parseInt(f[8])));
        }
        return rows;
    }
}
