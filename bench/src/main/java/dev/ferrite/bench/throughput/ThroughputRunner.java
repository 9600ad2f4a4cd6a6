package dev.ferrite.bench.throughput;

import dev.ferrite.bench.Args;
import dev.ferrite.bench.JvmFlags;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.FileNotFoundException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Runs {@link ThroughputBenchmark} at several thread counts in one go (JMH takes one count per run)
 * with the GC profiler, and writes all results as one JMH JSON file, rewritten after each
 * implementation, so a run cut short still leaves a valid file of what it measured.
 *
 * <pre>
 * java -cp benchmarks.jar dev.ferrite.bench.throughput.ThroughputRunner --profile quick --threads 1,2 --out DIR
 *   [--implementations ferrite,caffeine] [--entries 1000000] [--heap 4g] [--ferriteHeadroom 1.25]
 *   [--getPercents 100,50] [--distributions zipfian] [--valueBytes 100]
 * </pre>
 */
public final class ThroughputRunner
{
    private ThroughputRunner()
    {
    }

    public static void main(final String[] arguments) throws RunnerException, java.io.IOException
    {
        final Args args = new Args(arguments, "profile", "threads", "out", "implementations", "entries", "heap",
            "getPercents", "distributions", "valueBytes", "ferriteHeadroom");
        final Profile profile = Profile.parse(args.get("profile", "quick"));
        final Path out = Path.of(args.get("out", "bench/target/results"));
        Files.createDirectories(out);
        final String heap = args.get("heap", "4g");

        final List<RunResult> results = new ArrayList<>();
        final List<String> implementations = args.getList("implementations", String.join(",", profile.implementations));
        for (final String threads : args.getList("threads", "1,2"))
        {
            for (final String implementation : implementations)
            {
                final ChainedOptionsBuilder options = new OptionsBuilder()
                    .include(ThroughputBenchmark.class.getName() + ".operation")
                    .param("implementation", implementation)
                    .param("getPercent", array(args.getList("getPercents", String.join(",", profile.getPercents))))
                    .param("distribution", array(args.getList("distributions", String.join(",", profile.distributions))))
                    .param("valueBytes", array(args.getList("valueBytes", String.join(",", profile.valueBytes))))
                    .param("entries", args.get("entries", "1000000"))
                    .threads(Integer.parseInt(threads))
                    .forks(profile.forks)
                    .warmupIterations(profile.warmupIterations)
                    .warmupTime(TimeValue.seconds(profile.warmupSeconds))
                    .measurementIterations(profile.measurementIterations)
                    .measurementTime(TimeValue.seconds(profile.measurementSeconds))
                    .jvmArgsAppend(JvmFlags.forkFlags("-XX:+UseG1GC", "-Xms" + heap, "-Xmx" + heap,
                        "-Dbench.ferrite.headroom=" + args.get("ferriteHeadroom", "1.25")).toArray(new String[0]))
                    .addProfiler(GCProfiler.class)
                    .shouldFailOnError(false);
                final Collection<RunResult> run = new Runner(options.build()).run();
                results.addAll(run);
                write(out.resolve("jmh.json"), results);
            }
        }
        System.out.println("[bench] wrote " + out.resolve("jmh.json") + " (" + results.size() + " results)");
    }

    private static String[] array(final List<String> values)
    {
        return values.toArray(new String[0]);
    }

    /** Rewritten after each implementation, so an interrupted run still leaves what it measured. */
    private static void write(final Path file, final Collection<RunResult> results) throws FileNotFoundException
    {
        try (PrintStream stream = new PrintStream(file.toFile()))
        {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, stream).writeOut(results);
        }
    }
}
