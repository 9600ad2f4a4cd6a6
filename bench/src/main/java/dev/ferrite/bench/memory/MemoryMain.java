package dev.ferrite.bench.memory;

import dev.ferrite.bench.Args;
import dev.ferrite.bench.ChildJvm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Bytes per entry beyond key and value, for every implementation at each entry count, each probe
 * in its own JVM ({@link MemoryProbe}). Writes {@code memory.tsv} for the report.
 *
 * <pre>
 * java -cp benchmarks.jar dev.ferrite.bench.memory.MemoryMain [--entries 1000000,10000000]
 *   [--implementations ferrite,caffeine,chm,chronicle,ohc] [--valueBytes 100] [--heap 8g] [--out memory.tsv]
 * </pre>
 */
public final class MemoryMain
{
    private MemoryMain()
    {
    }

    public static void main(final String[] arguments) throws Exception
    {
        final Args args = new Args(arguments, "entries", "implementations", "valueBytes", "heap", "out");
        final String valueBytes = args.get("valueBytes", "100");
        final List<String> lines = new ArrayList<>();
        lines.add("kind\timplementation\tentries\tvalueBytes\theld\theapBytes\tnativeBytes\trssBytes\tdescription");
        for (final String entries : args.getList("entries", "1000000,10000000"))
        {
            for (final String implementation : args.getList("implementations", "ferrite,caffeine,chm,chronicle,ohc"))
            {
                final List<String> results = ChildJvm.run(jvmOptions(implementation, args.get("heap", "8g")), MemoryProbe.class,
                    List.of("--implementation", implementation, "--entries", entries, "--valueBytes", valueBytes));
                for (final String result : results)
                {
                    lines.add(result);
                    print(result);
                }
            }
        }
        final Path out = Path.of(args.get("out", "bench/target/results/memory.tsv"));
        if (out.getParent() != null)
        {
            Files.createDirectories(out.getParent());
        }
        Files.write(out, lines);
        System.out.println("[bench] wrote " + out);
    }

    /**
     * On-heap maps get a large heap. Off-heap stores get a small heap committed and touched up
     * front, so that RSS growth counts native memory only and cross-checks the libraries' counts.
     */
    static List<String> jvmOptions(final String implementation, final String heap)
    {
        if (implementation.equals("caffeine") || implementation.equals("chm"))
        {
            return List.of("-XX:+UseParallelGC", "-Xmx" + heap);
        }
        return List.of("-XX:+UseParallelGC", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch", "-XX:MaxDirectMemorySize=2g");
    }

    static String rssPerEntry(final String implementation, final double bytesPerEntry)
    {
        return implementation.equals("caffeine") || implementation.equals("chm") ? "n/a: heap" :
            String.format(Locale.ROOT, "%.1f B/entry", bytesPerEntry);
    }

    private static void print(final String result)
    {
        final String[] f = result.split("\t");
        if (f[0].equals("memory"))
        {
            final long held = Long.parseLong(f[4]);
            final double payload = 16 + Integer.parseInt(f[3]);
            final double heap = Double.parseDouble(f[5]) / held;
            final double nativeBytes = Double.parseDouble(f[6]) / held;
            System.out.printf(Locale.ROOT, "%-10s %,11d entries held: heap %7.1f + native %7.1f B/entry, overhead %7.1f B/entry (RSS growth %s)%n",
                f[1], held, heap, nativeBytes, heap + nativeBytes - payload, rssPerEntry(f[1], Double.parseDouble(f[7]) / held));
        }
        else
        {
            System.out.printf(Locale.ROOT, "%-10s breakdown per entry: header %s, padding %s, index %s, policy (sketch, samples) %s, segment table %s, unused log %s%n",
                "ferrite", f[2], f[3], f[4], f[5], f[6], f[7]);
        }
    }
}
