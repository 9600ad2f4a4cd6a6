package dev.ferrite.bench.latency;

import dev.ferrite.bench.Args;
import dev.ferrite.bench.ChildJvm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Get and put latency percentiles of every implementation under contention, each in its own JVM
 * ({@link LatencyProbe}). Writes {@code latency.tsv} for the report.
 *
 * <pre>
 * java -cp benchmarks.jar dev.ferrite.bench.latency.LatencyMain [--threads 2] [--seconds 5] [--warmupSeconds 3]
 *   [--getPercent 90] [--entries 1000000] [--implementations ferrite,caffeine,chm,chronicle,ohc] [--out latency.tsv]
 * </pre>
 */
public final class LatencyMain
{
    private LatencyMain()
    {
    }

    public static void main(final String[] arguments) throws Exception
    {
        final Args args = new Args(arguments, "threads", "seconds", "warmupSeconds", "getPercent", "entries",
            "implementations", "valueBytes", "heap", "out");
        final List<String> lines = new ArrayList<>();
        lines.add("implementation\toperation\tcount\tp50Ns\tp99Ns\tp999Ns\tmaxNs\tthreads\tgetPercent");
        final String threads = args.get("threads", "2");
        final String getPercent = args.get("getPercent", "90");
        System.out.printf(Locale.ROOT, "%-10s %-4s %12s %9s %9s %9s %11s%n", "impl", "op", "count", "p50 ns", "p99 ns", "p99.9 ns", "max ns");
        for (final String implementation : args.getList("implementations", "ferrite,caffeine,chm,chronicle,ohc"))
        {
            final List<String> results = ChildJvm.run(
                List.of("-XX:+UseG1GC", "-Xms" + args.get("heap", "4g"), "-Xmx" + args.get("heap", "4g")),
                LatencyProbe.class,
                List.of("--implementation", implementation, "--threads", threads, "--getPercent", getPercent,
                    "--seconds", args.get("seconds", "5"), "--warmupSeconds", args.get("warmupSeconds", "3"),
                    "--entries", args.get("entries", "1000000"), "--valueBytes", args.get("valueBytes", "100")));
            for (final String result : results)
            {
                lines.add(result + "\t" + threads + "\t" + getPercent);
                final String[] f = result.split("\t");
                System.out.printf(Locale.ROOT, "%-10s %-4s %,12d %,9d %,9d %,9d %,11d%n", f[0], f[1], Long.parseLong(f[2]),
                    Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]));
            }
        }
        final Path out = Path.of(args.get("out", "bench/target/results/latency.tsv"));
        if (out.getParent() != null)
        {
            Files.createDirectories(out.getParent());
        }
        Files.write(out, lines);
        System.out.println("[bench] wrote " + out);
    }
}
