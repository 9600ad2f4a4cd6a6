package dev.ferrite.bench.throughput;

import dev.ferrite.bench.data.KeyDistribution;
import dev.ferrite.bench.peers.BenchStore;
import dev.ferrite.bench.peers.Implementation;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

import java.util.concurrent.TimeUnit;

/**
 * Hit-path throughput of one implementation: a store preloaded with every key, then gets and puts
 * in a fixed mix over precomputed key indexes (uniform or scrambled Zipfian), so neither random
 * numbers nor sampling is measured. Threads come from JMH's {@code -t}; {@link ThroughputRunner}
 * runs several counts in one go. The {@link Outcomes} counters show the fraction of gets that hit,
 * so a store that dropped keys cannot look fast by missing.
 *
 * <p>The fork flags below repeat the parent pom's {@code ferrite.jvm.flags} and Chronicle Map's
 * extras, for plain {@code java -jar benchmarks.jar}; {@link ThroughputRunner} passes the flags
 * built into the jar instead ({@code JvmFlagsTest} keeps the two equal).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
    "-Dchronicle.analytics.disable=true",
    "-Dchronicle.disk.monitor.disable=true",
    "-Dbackground.releaser=false",
    "--enable-native-access=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
    "-XX:+UseG1GC", "-Xms4g", "-Xmx4g"})
@State(Scope.Benchmark)
public class ThroughputBenchmark
{
    /** Length of the shared key index sequence; each thread starts at its own offset. */
    static final int KEY_SEQUENCE_LENGTH = 1 << 21;
    static final int OP_SEQUENCE_LENGTH = 1 << 16;

    @Param({"ferrite", "caffeine", "chm", "chronicle", "ohc"})
    public String implementation;

    /** 100 = reads only, 90 = 90/10, 50 = 50/50, 0 = writes only. */
    @Param({"100", "90", "50", "0"})
    public int getPercent;

    @Param({"zipfian", "uniform"})
    public String distribution;

    @Param({"100", "1024"})
    public int valueBytes;

    @Param({"1000000"})
    public int entries;

    BenchStore store;
    int[] keyIndexes;
    boolean[] putMask;

    @Setup(Level.Trial)
    public void setUp()
    {
        store = Implementation.parse(implementation).create(entries, valueBytes);
        Preloader.load(store, entries);
        keyIndexes = KeyDistribution.parse(distribution).keyIndexes(entries, KEY_SEQUENCE_LENGTH, 42);
        putMask = KeyDistribution.putMask(100 - getPercent, OP_SEQUENCE_LENGTH, 7);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        System.out.println("\n[bench] " + implementation + " size after trial=" + store.size() + " of " + entries +
            ": " + store.describe());
        store.close();
    }

    /** Per-thread cursor and session; threads start spread over the key sequence. */
    @State(Scope.Thread)
    public static class ThreadState
    {
        BenchStore.Session session;
        int cursor;

        @Setup(Level.Trial)
        public void setUp(final ThroughputBenchmark benchmark, final ThreadParams threads)
        {
            session = benchmark.store.session();
            cursor = threads.getThreadIndex() * (KEY_SEQUENCE_LENGTH / Math.max(1, threads.getThreadCount()));
        }
    }

    /** Gets that hit and missed, reported by JMH as secondary results (events per second). */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Outcomes
    {
        public long hits;
        public long misses;

        @Setup(Level.Iteration)
        public void reset()
        {
            hits = 0;
            misses = 0;
        }
    }

    @Benchmark
    public long operation(final ThreadState thread, final Outcomes outcomes)
    {
        final int step = thread.cursor++;
        final int keyIndex = keyIndexes[step & (KEY_SEQUENCE_LENGTH - 1)];
        if (putMask[step & (OP_SEQUENCE_LENGTH - 1)])
        {
            return thread.session.put(keyIndex);
        }
        final int length = thread.session.get(keyIndex);
        if (length >= 0)
        {
            outcomes.hits++;
        }
        else
        {
            outcomes.misses++;
        }
        return length;
    }
}
