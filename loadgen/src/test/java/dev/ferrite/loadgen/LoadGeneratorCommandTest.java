package dev.ferrite.loadgen;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.*;

class LoadGeneratorCommandTest
{
    @Test
    void shouldWriteSummaryHistogramLogAndChart(@TempDir final Path out) throws Exception
    {
        final int exit = new CommandLine(new LoadGeneratorCommand()).execute(
            "--target", "engine", "--workload", "B", "--records", "2000", "--warmup", "0", "--duration", "1",
            "--requesters", "2", "--capacity-mb", "32", "--quiet", "--out", out.toString());
        assertEquals(0, exit);

        final JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("ycsb-b", summary.get("workload").asText());
        assertEquals("closed", summary.get("mode").asText());
        assertTrue(summary.get("operations").asLong() > 0);
        assertTrue(summary.get("throughputOpsPerSecond").asDouble() > 0);
        final JsonNode reads = summary.get("latencyMicros").get("READ");
        assertTrue(reads.get("p50Us").asDouble() <= reads.get("p99Us").asDouble());
        assertTrue(reads.get("p99Us").asDouble() <= reads.get("maxUs").asDouble());

        final String hlog = Files.readString(out.resolve("latency.hlog"), StandardCharsets.UTF_8);
        assertTrue(hlog.contains("Tag=READ"), "interval histograms are tagged by operation");
        final byte[] png = Files.readAllBytes(out.resolve("latency.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G');
    }

    @Test
    void shouldRefuseAnUnknownTargetWithAClearMessage()
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final CommandLine command = new CommandLine(new LoadGeneratorCommand());
        command.setErr(new java.io.PrintWriter(new PrintStream(err, true, StandardCharsets.UTF_8), true));
        final int exit = command.execute("--target", "memcached", "--duration", "1", "--quiet");
        assertNotEquals(0, exit);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown target 'memcached'"), err.toString(StandardCharsets.UTF_8));
    }
}
