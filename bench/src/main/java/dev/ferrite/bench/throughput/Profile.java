package dev.ferrite.bench.throughput;

import java.util.List;
import java.util.Locale;

/**
 * How deep a throughput run goes. Each parameter combination is one JMH fork of about
 * JVM start + preload (1-3 s) + (warmup + measurement) iterations.
 *
 * <ul>
 *   <li>quick: get, 50/50 and put; Zipfian; 100 B. 15 forks per thread count, about 7 s each.</li>
 *   <li>device: the same set with 2 + 3 one-second iterations, for a 16-core machine at 1, 4, 8
 *   and 16 threads in one go (60 forks, under 8 minutes).</li>
 *   <li>full: all four mixes, both distributions, 100 B and 1 KiB, Ferrite's byte[] API too:
 *   96 forks per thread count with 2 + 3 one-second iterations, about 9 s each (about 30 minutes
 *   for 1 and 2 threads on 2 cores; longer iterations made the full run take hours there without
 *   narrowing the error, which is set by the machine's load).</li>
 * </ul>
 */
public enum Profile
{
    QUICK(List.of("ferrite", "caffeine", "chm", "chronicle", "ohc"), List.of("100", "50", "0"), List.of("zipfian"),
        List.of("100"), 1, 2, 1, 2, 1),
    DEVICE(List.of("ferrite", "caffeine", "chm", "chronicle", "ohc"), List.of("100", "50", "0"), List.of("zipfian"),
        List.of("100"), 1, 2, 1, 3, 1),
    FULL(List.of("ferrite", "ferrite-bytes", "caffeine", "chm", "chronicle", "ohc"), List.of("100", "90", "50", "0"),
        List.of("zipfian", "uniform"), List.of("100", "1024"), 1, 2, 1, 3, 1);

    final List<String> implementations;
    final List<String> getPercents;
    final List<String> distributions;
    final List<String> valueBytes;
    final int forks;
    final int warmupIterations;
    final int warmupSeconds;
    final int measurementIterations;
    final int measurementSeconds;

    Profile(
        final List<String> implementations, final List<String> getPercents, final List<String> distributions,
        final List<String> valueBytes, final int forks, final int warmupIterations, final int warmupSeconds,
        final int measurementIterations, final int measurementSeconds)
    {
        this.implementations = implementations;
        this.getPercents = getPercents;
        this.distributions = distributions;
        this.valueBytes = valueBytes;
        this.forks = forks;
        this.warmupIterations = warmupIterations;
        this.warmupSeconds = warmupSeconds;
        this.measurementIterations = measurementIterations;
        this.measurementSeconds = measurementSeconds;
    }

    public static Profile parse(final String name)
    {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    public int forksPerThreadCount()
    {
        return implementations.size() * getPercents.size() * distributions.size() * valueBytes.size() * forks;
    }
}
