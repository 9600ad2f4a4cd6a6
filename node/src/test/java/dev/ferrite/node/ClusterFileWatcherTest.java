package dev.ferrite.node;

import dev.ferrite.transport.routing.ClusterFile;
import dev.ferrite.transport.routing.ClusterSpec;
import dev.ferrite.transport.routing.NodeEndpoint;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

class ClusterFileWatcherTest
{
    @Test
    void shouldApplyANewerEpochAndKeepTheTableOnABadFile(@TempDir final Path directory) throws Exception
    {
        final Path file = directory.resolve("cluster.conf");
        final ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (FerriteNode node = FerriteNode.start(FerriteNodeTest.config(1));
            PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8))
        {
            final NodeEndpoint self = node.endpoint();
            final NodeEndpoint other = new NodeEndpoint(2, "127.0.0.1", 9);
            ClusterFile.write(new ClusterSpec(1, 64, List.of(self)), file);
            try (ClusterFileWatcher watcher = ClusterFileWatcher.start(file, node, Duration.ofMillis(20), out))
            {
                ClusterFile.write(new ClusterSpec(2, 64, List.of(self, other)), file);
                awaitEpoch(node, 2);
                final int[] slots = node.topology().slotCountsByNode();
                assertTrue(slots[1] > 0 && slots[2] > 0, "both nodes own slots after the change");

                Files.writeString(file, "epoch = 3\nthis is not a cluster file\n", StandardCharsets.UTF_8);
                awaitLog(log, "not applied, keeping epoch 2");
                assertEquals(2, node.topology().epoch());

                ClusterFile.write(new ClusterSpec(1, 64, List.of(self)), file);
                awaitLog(log, "is not newer than 2: ignored");
                assertEquals(2, node.topology().epoch());
            }
        }
    }

    private static void awaitEpoch(final FerriteNode node, final long epoch) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + 10_000_000_000L;
        while (node.topology().epoch() != epoch && System.nanoTime() < deadlineNs)
        {
            Thread.sleep(10);
        }
        assertEquals(epoch, node.topology().epoch());
    }

    private static void awaitLog(final ByteArrayOutputStream log, final String text) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + 10_000_000_000L;
        while (!log.toString(StandardCharsets.UTF_8).contains(text) && System.nanoTime() < deadlineNs)
        {
            Thread.sleep(10);
        }
        assertTrue(log.toString(StandardCharsets.UTF_8).contains(text), log.toString(StandardCharsets.UTF_8));
    }
}
