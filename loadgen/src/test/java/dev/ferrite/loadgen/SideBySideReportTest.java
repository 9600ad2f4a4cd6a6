package dev.ferrite.loadgen;

import dev.ferrite.loadgen.report.SideBySideReport;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

class SideBySideReportTest
{
    @Test
    void shouldCheckEachTargetAgainstTheSameRunsFigures(@TempDir final Path run) throws Exception
    {
        summary(run, "aeron-floor", 50_000, 20.0, 90.0);
        summary(run, "ferrite-1", 120_000, 28.0, 400.0);
        summary(run, "ferrite-1-half-load", 60_000, 25.0, 180.0);
        summary(run, "redis", 100_000, 40.0, 300.0);
        final Path report = run.resolve("report.md");
        final Path chart = run.resolve("chart.png");

        SideBySideReport.main(new String[] {run.toString(), report.toString(), chart.toString()});

        final String md = Files.readString(report, StandardCharsets.UTF_8);
        assertTrue(md.contains("| get p50 ≤ 1.5× raw Aeron's | 1.40× | MET |"), md);
        assertTrue(md.contains("| p99.9 ≤ 250 µs at 50% of max throughput | 180 µs at 60,000 ops/s | MET |"), md);
        assertTrue(md.contains("| throughput per node ≥ Redis's (same concurrency) | 1.20× | MET |"), md);
        assertTrue(md.contains("| ferrite-1 (test) |"), md);
        assertFalse(Files.exists(chart), "no latency logs, so no chart");
    }

    @Test
    void shouldShowRedisTailAtTheSameRateBesideFerritesHalfLoadTail(@TempDir final Path run) throws Exception
    {
        summary(run, "ferrite-1-half-load", 60_000, 25.0, 1_000.0);
        summary(run, "redis-half-load", 60_000, 20.0, 400.0);
        final Path report = run.resolve("report.md");
        SideBySideReport.main(new String[] {run.toString(), report.toString()});
        final String md = Files.readString(report, StandardCharsets.UTF_8);
        assertTrue(md.contains("| p99.9 ≤ 250 µs at 50% of max throughput | 1000 µs at 60,000 ops/s; Redis at the same rate: 400 µs (2.50×) | MISSED |"), md);
        assertTrue(md.contains("| redis-half-load (test) |"), md);
    }

    @Test
    void shouldSayWhatWasNotMeasured(@TempDir final Path run) throws Exception
    {
        summary(run, "ferrite-1", 120_000, 400.0, 900.0);
        final Path report = run.resolve("report.md");
        SideBySideReport.main(new String[] {run.toString(), report.toString()});
        final String md = Files.readString(report, StandardCharsets.UTF_8);
        assertEquals(3, md.split("NOT MEASURED", -1).length - 1, md);
    }

    private static void summary(final Path run, final String name, final double opsPerSecond, final double p50Us, final double p999Us)
        throws Exception
    {
        Files.createDirectories(run.resolve(name));
        Files.writeString(run.resolve(name).resolve("summary.json"), String.format(java.util.Locale.ROOT,
            "{\"target\":\"test\",\"workload\":\"ycsb-b\",\"mode\":\"closed\",\"requesters\":2,\"pipelineDepth\":4," +
            "\"throughputOpsPerSecond\":%f,\"errors\":0,\"latencyMicros\":{\"READ\":{\"p50Us\":%f,\"p90Us\":1,\"p99Us\":2," +
            "\"p999Us\":%f,\"maxUs\":3}}}", opsPerSecond, p50Us, p999Us));
    }
}
