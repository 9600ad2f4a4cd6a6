package dev.ferrite.transport.routing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterFileTest
{
    private static final String GOOD = String.join("\n",
        "# Ferrite cluster file",
        "",
        "epoch = 12",
        "virtual-nodes = 64   # per node",
        "node.2 = 127.0.0.1:7102",
        "  node.1=localhost:7101  ",
        "node.9 = [::1]:7109",
        "");

    @Test
    void shouldReadEpochVirtualNodesAndNodesSortedById()
    {
        final ClusterSpec spec = ClusterFile.parse("good.conf", GOOD);

        assertEquals(12, spec.epoch());
        assertEquals(64, spec.virtualNodesPerNode());
        assertEquals(List.of(
            new NodeEndpoint(1, "localhost", 7101),
            new NodeEndpoint(2, "127.0.0.1", 7102),
            new NodeEndpoint(9, "::1", 7109)), spec.nodes());
    }

    @Test
    void shouldCompileToTheRingsSlotTableAtTheFilesEpoch()
    {
        final ClusterSpec spec = ClusterFile.parse("good.conf", GOOD);
        final SlotTable table = spec.compile();
        final HashRing ring = HashRing.of(spec.nodes(), 64);

        assertEquals(12, table.epoch());
        assertEquals(spec.nodes(), table.nodes());
        for (int slot = 0; slot < SlotTable.SLOT_COUNT; slot += 31)
        {
            assertEquals(ring.ownerOf(slot), table.ownerOf(slot));
        }
    }

    @Test
    void shouldReadBackWhatItWrites(@TempDir final Path directory)
    {
        final ClusterSpec spec = ClusterFile.parse("good.conf", GOOD);
        final Path file = directory.resolve("cluster.conf");

        ClusterFile.write(spec, file);
        assertEquals(spec, ClusterFile.read(file));

        final ClusterSpec next = new ClusterSpec(13, 64, RingStatistics.loopbackNodes(4));
        ClusterFile.write(next, file);
        assertEquals(next, ClusterFile.read(file));
        try (var files = Files.list(directory))
        {
            assertEquals(1, files.count(), "the temporary file was left behind");
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    @Test
    void shouldShipASampleWithThreeLoopbackNodes()
    {
        // Surefire runs in the module directory; the sample is at the repository root.
        final ClusterSpec spec = ClusterFile.read(Path.of("..", "config", "cluster.conf"));

        assertEquals(RingStatistics.loopbackNodes(3), spec.nodes());
        assertEquals(3, spec.compile().nodes().size());
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @CsvSource(delimiter = '|', value = {
        "epoch = 1;virtual-nodes = 16;node.1 127.0.0.1:7101                  | 3 | expected 'key = value'",
        "epoch = 1;virtual-nodes = 16;colour = blue                          | 3 | unknown key 'colour'",
        "epoch = one;virtual-nodes = 16;node.1 = h:1                         | 1 | bad epoch 'one'",
        "epoch = -1;virtual-nodes = 16;node.1 = h:1                          | 1 | bad epoch -1",
        "epoch = 1;epoch = 2;virtual-nodes = 16;node.1 = h:1                 | 2 | duplicate 'epoch' (first on line 1)",
        "epoch = 1;virtual-nodes = 0;node.1 = h:1                            | 2 | bad virtual-nodes 0",
        "epoch = 1;virtual-nodes = 4097;node.1 = h:1                         | 2 | bad virtual-nodes 4097",
        "epoch = 1;virtual-nodes =;node.1 = h:1                              | 2 | no value for 'virtual-nodes'",
        "epoch = 1;virtual-nodes = 16;node.x = h:1                           | 3 | bad node id 'x'",
        "epoch = 1;virtual-nodes = 16;node.70000 = h:1                       | 3 | bad node id 70000",
        "epoch = 1;virtual-nodes = 16;node.1 = h:1;node.1 = h:2              | 4 | duplicate node id 1 (first on line 3)",
        "epoch = 1;virtual-nodes = 16;node.1 = Host:1;;node.2 = host:1       | 5 | duplicate endpoint host:1 (first on line 3)",
        "epoch = 1;virtual-nodes = 16;node.1 = h:port                        | 3 | bad port 'port'",
        "epoch = 1;virtual-nodes = 16;node.1 = h:0                           | 3 | bad port 0",
        "epoch = 1;virtual-nodes = 16;node.1 = h:65536                       | 3 | bad port 65536",
        "epoch = 1;virtual-nodes = 16;node.1 = h                             | 3 | bad endpoint 'h'",
        "epoch = 1;virtual-nodes = 16;node.1 = ::1:7101                      | 3 | bad endpoint '::1:7101'",
        "epoch = 1;virtual-nodes = 16;node.1 = :7101                         | 3 | bad host ''",
        "epoch = 1;virtual-nodes = 16;node.1 = a=b:7101                      | 3 | bad host 'a=b'",
        "epoch = 1;virtual-nodes = 16;node.1 = my host:7101                  | 3 | bad host 'my host'",
        "epoch = 1;virtual-nodes = 16;node.1 = [not-v6]:7101                 | 3 | bad host 'not-v6'",
        "epoch = 1;virtual-nodes = 16                                        | 0 | no nodes",
        "virtual-nodes = 16;node.1 = h:1                                     | 0 | missing 'epoch = <number>'",
        "epoch = 1;node.1 = h:1                                              | 0 | missing 'virtual-nodes",
    })
    void shouldRejectAMalformedFileNamingTheLine(final String lines, final int lineNumber, final String problem)
    {
        final ClusterFileException error = assertThrows(
            ClusterFileException.class, () -> ClusterFile.parse("bad.conf", lines.replace(';', '\n')));

        assertEquals(lineNumber, error.lineNumber(), error.getMessage());
        final String where = lineNumber > 0 ? "bad.conf:" + lineNumber + ": " : "bad.conf: ";
        assertTrue(error.getMessage().startsWith(where + problem), error.getMessage());
    }

    @Test
    void shouldRejectSpecsThatShareAnEndpointOrExceedTheNodeIdBound()
    {
        assertThrows(IllegalArgumentException.class, () -> new ClusterSpec(1, 16, List.of(
            new NodeEndpoint(1, "127.0.0.1", 7101), new NodeEndpoint(2, "127.0.0.1", 7101))));
        assertThrows(IllegalArgumentException.class, () -> new ClusterSpec(1, 16, List.of(
            new NodeEndpoint(ClusterSpec.MAX_NODE_ID + 1, "127.0.0.1", 7101))));
        assertThrows(IllegalArgumentException.class, () -> new ClusterSpec(-1, 16, RingStatistics.loopbackNodes(1)));
        assertThrows(IllegalArgumentException.class, () -> new ClusterSpec(1, 16, List.of()));
    }
}
