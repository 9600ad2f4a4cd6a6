package dev.ferrite.bench.hitratio;

import dev.ferrite.bench.Args;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Replays every trace at several sizes against Ferrite's eviction policy, Caffeine and exact LRU,
 * and prints one table with averages (and writes it as TSV with {@code --out}). Each replay is
 * single-threaded; Ferrite and LRU replays are deterministic, Caffeine's admission has a little
 * randomness (hundredths of a point). Replays run in parallel, one per core.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar [ferrite flags] dev.ferrite.bench.hitratio.HitRatioMain
 *   [--traces /work/shared/traces] [--only loop,multi1] [--sizes 500,1000] [--segments 64]
 *   [--valueBytes N] [--parallelism 2] [--out hitratio.tsv] [--baseline hitratio.tsv]
 * </pre>
 *
 * {@code --baseline} takes the Caffeine and LRU columns from an earlier {@code --out} file for the
 * rows it has, so tuning Ferrite's policy replays only Ferrite. {@code --sizes} replaces every
 * trace's sizes; {@code --segments} and {@code --valueBytes} change how N maps to Ferrite's bytes
 * (see {@link FerritePolicy}).
 */
public final class HitRatioMain
{
    private HitRatioMain()
    {
    }

    /** One replayed trace at one size. Ratios are fractions in [0, 1]. */
    public record Row(String trace, int size, boolean reference, long references, double ferrite, double caffeine,
        double lru, long ferriteEntries, long ferriteCapacityBytes, int ferriteValueBytes, long ferriteFailedPuts)
    {
    }

    public static void main(final String[] arguments) throws Exception
    {
        final Args args = new Args(arguments, "traces", "only", "sizes", "segments", "valueBytes", "parallelism", "out",
            "baseline");
        final Path directory = Path.of(args.get("traces", "/work/shared/traces"));
        final List<String> only = args.getList("only", "");
        final int segments = args.getInt("segments", 64);
        final int fixedValueBytes = args.getInt("valueBytes", -1);
        final int parallelism = args.getInt("parallelism", Runtime.getRuntime().availableProcessors());
        final List<Integer> sizesOverride = args.getList("sizes", "").stream().map(Integer::parseInt).collect(Collectors.toList());

        final long start = System.nanoTime();
        final List<Path> files = traceFiles(directory, only);
        if (files.isEmpty())
        {
            throw new IllegalArgumentException("no *.trace.gz or *.trace.xz in " + directory +
                (only.isEmpty() ? "" : " matching --only " + only));
        }
        final ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        try
        {
            final List<Future<Trace>> loading = new ArrayList<>();
            for (final Path file : files)
            {
                loading.add(pool.submit(() -> Trace.read(file)));
            }
            final Map<String, Row> baseline = args.has("baseline") ? index(readTsv(Path.of(args.get("baseline", "")))) : Map.of();
            final List<Future<Row>> ferriteRuns = new ArrayList<>();
            final List<Future<Double>> caffeineRuns = new ArrayList<>();
            final List<Future<Double>> lruRuns = new ArrayList<>();
            for (final Future<Trace> future : loading)
            {
                final Trace trace = future.get();
                final int unique = trace.uniqueKeys();
                final List<Integer> sizes = sizesOverride.isEmpty() ? TraceSizes.sizesFor(trace.name(), unique) : sizesOverride;
                for (final int size : sizes)
                {
                    final Row known = baseline.get(trace.name() + "@" + size);
                    ferriteRuns.add(pool.submit(() -> replayFerrite(trace, size, segments, fixedValueBytes)));
                    caffeineRuns.add(known != null ? CompletableFuture.completedFuture(known.caffeine()) :
                        pool.submit(() -> hitRatio(new CaffeinePolicy(size), trace.keys())));
                    lruRuns.add(known != null ? CompletableFuture.completedFuture(known.lru()) :
                        pool.submit(() -> hitRatio(new LruPolicy(size), trace.keys())));
                }
            }
            final List<Row> rows = new ArrayList<>();
            for (int i = 0; i < ferriteRuns.size(); i++)
            {
                final Row ferrite = ferriteRuns.get(i).get();
                rows.add(new Row(ferrite.trace(), ferrite.size(), ferrite.reference(), ferrite.references(),
                    ferrite.ferrite(), caffeineRuns.get(i).get(), lruRuns.get(i).get(), ferrite.ferriteEntries(),
                    ferrite.ferriteCapacityBytes(), ferrite.ferriteValueBytes(), ferrite.ferriteFailedPuts()));
            }
            print(System.out, rows);
            System.out.printf(Locale.ROOT, "%n%d replays of %d traces in %.1f s on %d threads%n", rows.size(), files.size(),
                (System.nanoTime() - start) / 1e9, parallelism);
            if (args.has("out"))
            {
                writeTsv(Path.of(args.get("out", "")), rows);
            }
        }
        catch (final ExecutionException e)
        {
            throw e.getCause() instanceof Exception ? (Exception)e.getCause() : e;
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    private static List<Path> traceFiles(final Path directory, final List<String> only) throws IOException
    {
        try (Stream<Path> listing = Files.list(directory))
        {
            return listing.filter(Trace::isTrace)
                .filter(file -> only.isEmpty() || only.contains(Trace.nameOf(file)))
                .sorted(Comparator.comparing(file -> file.getFileName().toString()))
                .collect(Collectors.toList());
        }
    }

    /** Replays Ferrite alone; the Caffeine and LRU fields of the row are left at 0. */
    public static Row replayFerrite(final Trace trace, final int size, final int segments, final int fixedValueBytes)
    {
        try (FerritePolicy ferrite = new FerritePolicy(size, segments, fixedValueBytes))
        {
            final double ratio = hitRatio(ferrite, trace.keys());
            return new Row(trace.name(), size, TraceSizes.isReference(trace.name(), size), trace.keys().length, ratio,
                0, 0, ferrite.size(), ferrite.capacityBytes(), ferrite.valueBytes(), ferrite.failedPuts());
        }
    }

    private static Map<String, Row> index(final List<Row> rows)
    {
        final Map<String, Row> byKey = new HashMap<>();
        for (final Row row : rows)
        {
            byKey.put(row.trace() + "@" + row.size(), row);
        }
        return byKey;
    }

    static double hitRatio(final ReplayPolicy policy, final int[] keys)
    {
        long hits = 0;
        for (final int key : keys)
        {
            if (policy.access(key))
            {
                hits++;
            }
        }
        return keys.length == 0 ? 0 : (double)hits / keys.length;
    }

    public static void print(final PrintStream out, final List<Row> rows)
    {
        out.printf(Locale.ROOT, "%-10s %6s %9s %9s %9s %11s %16s  %s%n", "trace", "N", "Ferrite", "Caffeine", "LRU",
            "Ferrite-LRU", "Ferrite-Caffeine", "Ferrite entries / bytes");
        for (final Row row : rows)
        {
            out.printf(Locale.ROOT, "%-10s %6d %8.2f%% %8.2f%% %8.2f%% %+10.2f %+16.2f  %d / %d%s%s%n", row.trace(), row.size(),
                100 * row.ferrite(), 100 * row.caffeine(), 100 * row.lru(), 100 * (row.ferrite() - row.lru()),
                100 * (row.ferrite() - row.caffeine()), row.ferriteEntries(), row.ferriteCapacityBytes(),
                row.reference() ? "  (README N)" : "",
                row.ferriteFailedPuts() > 0 ? "  FAILED PUTS=" + row.ferriteFailedPuts() : "");
        }
        final Summary summary = Summary.of(rows);
        out.printf(Locale.ROOT, "%-10s %6s %8.2f%% %8.2f%% %8.2f%% %+10.2f %+16.2f%n", "average", "", 100 * summary.ferrite,
            100 * summary.caffeine, 100 * summary.lru, 100 * (summary.ferrite - summary.lru),
            100 * (summary.ferrite - summary.caffeine));
        out.printf(Locale.ROOT, "Ferrite below LRU in %d of %d rows; worst Ferrite-LRU %+.2f, worst Ferrite-Caffeine %+.2f points%n",
            summary.belowLru, rows.size(), 100 * summary.worstVersusLru, 100 * summary.worstVersusCaffeine);
    }

    /** Averages over rows, each row weighted equally. */
    public static final class Summary
    {
        public double ferrite;
        public double caffeine;
        public double lru;
        public int belowLru;
        public double worstVersusLru = Double.MAX_VALUE;
        public double worstVersusCaffeine = Double.MAX_VALUE;

        public static Summary of(final List<Row> rows)
        {
            final Summary summary = new Summary();
            for (final Row row : rows)
            {
                summary.ferrite += row.ferrite() / rows.size();
                summary.caffeine += row.caffeine() / rows.size();
                summary.lru += row.lru() / rows.size();
                if (row.ferrite() < row.lru())
                {
                    summary.belowLru++;
                }
                summary.worstVersusLru = Math.min(summary.worstVersusLru, row.ferrite() - row.lru());
                summary.worstVersusCaffeine = Math.min(summary.worstVersusCaffeine, row.ferrite() - row.caffeine());
            }
            return summary;
        }
    }

    public static void writeTsv(final Path file, final List<Row> rows)
    {
        final List<String> lines = new ArrayList<>();
        lines.add("trace\tsize\treference\treferences\tferrite\tcaffeine\tlru\tferriteEntries\tferriteCapacityBytes\tferriteValueBytes\tferriteFailedPuts");
        for (final Row row : rows)
        {
            lines.add(String.join("\t", row.trace(), Integer.toString(row.size()), Boolean.toString(row.reference()),
                Long.toString(row.references()), Double.toString(row.ferrite()), Double.toString(row.caffeine()),
                Double.toString(row.lru()), Long.toString(row.ferriteEntries()), Long.toString(row.ferriteCapacityBytes()),
                Integer.toString(row.ferriteValueBytes()), Long.toString(row.ferriteFailedPuts())));
        }
        try
        {
            if (file.getParent() != null)
            {
                Files.createDirectories(file.getParent());
            }
            Files.write(file, lines);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Row> readTsv(final Path file) throws IOException
    {
        final List<Row> rows = new ArrayList<>();
        for (final String line : Files.readAllLines(file).subList(1, Files.readAllLines(file).size()))
        {
            final String[] f = line.split("\t");
            rows.add(new Row(f[0], Integer.parseInt(f[1]), Boolean.parseBoolean(f[2]), Long.parseLong(f[3]),
                Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]), Long.parseLong(f[7]),
                Long.parseLong(f[8]), Integer.parseInt(f[9]), Long.parseLong(f[10])));
        }
        return rows;
    }
}
