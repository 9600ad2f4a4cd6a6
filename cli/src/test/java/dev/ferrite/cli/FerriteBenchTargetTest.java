package dev.ferrite.cli;

import dev.ferrite.node.FerriteNode;
import dev.ferrite.node.NodeConfig;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

class FerriteBenchTargetTest
{
    @Test
    void shouldLoadAndDriveARealNodeThroughTheClient(@TempDir final Path out)
    {
        try (FerriteNode node = FerriteNode.start(new NodeConfig().nodeId(1).port(0)))
        {
            final int exit = FerriteMain.commandLine().execute("bench", "--target", "ferrite",
                "--nodes", node.endpoint().endpoint(), "--workload", "A", "--records", "500", "--warmup", "0",
                "--duration", "1", "--requesters", "2", "--pipeline", "4", "--quiet", "--out", out.toString());
            assertEquals(0, exit);

            final JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
            assertTrue(summary.get("target").asText().startsWith("ferrite (1 node"), summary.get("target").asText());
            assertEquals(0, summary.get("errors").asLong(), summary.path("firstError").asText());
            assertTrue(summary.get("latencyMicros").get("READ").get("count").asLong() > 0);
            assertEquals(1.0, summary.get("readHitRatio").asDouble(), 1e-9, "every loaded record is read back");
            assertTrue(node.cache().size() >= 500, "the records live on the node: " + node.cache().size());
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
