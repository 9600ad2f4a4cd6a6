package dev.ferrite.node;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodePropertiesTest
{
    @TempDir
    Path dir;

    @Test
    void shouldUseDocumentedDefaultsWithoutAFile() throws Exception
    {
        final NodeConfig config = NodeProperties.load(new String[] {"--config=" + write("empty.properties", "")});
        assertEquals(NodeConfig.NODE_ID_DEFAULT, config.nodeId());
        assertEquals("127.0.0.1", config.host());
        assertEquals(NodeConfig.PORT_DEFAULT, config.port());
        assertEquals("backoff", config.idleStrategy());
        assertNull(config.aeronDirectoryName());
        assertNull(config.sharedSecret());
        assertNull(config.topology());
        assertEquals(64L << 20, config.cacheConfig().capacityBytes());
    }

    @Test
    void shouldLetFlagsOverrideTheFile() throws Exception
    {
        final Path file = write("node.properties", "node.id = 3\nnode.port = 7000\nauth.secret = a\nproxy.timeoutMs = 50\n");
        final NodeConfig config = NodeProperties.load(new String[] {"--config=" + file, "--node.port=0", "--auth.secret=b"});
        assertEquals(3, config.nodeId());
        assertEquals(0, config.port());
        assertEquals("b", config.sharedSecret());
        assertEquals(50, config.forwardTimeoutMs());
        assertEquals(0, config.cacheConfig().reclaimAheadSegments());
        assertEquals(2, NodeProperties.load(new String[] {"--config=" + file, "--cache.reclaimAheadSegments=2"})
            .cacheConfig().reclaimAheadSegments());
        assertEquals(0, config.cacheConfig().shards());
        assertEquals(4, NodeProperties.load(new String[] {"--config=" + file, "--cache.shards=4"}).cacheConfig().shards());
    }

    @Test
    void shouldTakeTopologyHostAndPortFromTheClusterFile() throws Exception
    {
        final Path cluster = write("cluster.conf", "epoch = 4\nvirtual-nodes = 16\nnode.1 = 127.0.0.1:7101\nnode.2 = 127.0.0.2:7102\n");
        final NodeConfig config = NodeProperties.load(new String[] {
            "--config=" + write("n.properties", "cluster.file = " + cluster + "\n"), "--node.id=2"});
        assertEquals("127.0.0.2", config.host());
        assertEquals(7102, config.port());
        assertEquals(4, config.topology().epoch());
        assertEquals(2, config.topology().nodes().size());
    }

    @Test
    void shouldRefuseUnknownKeysAndBadValues() throws Exception
    {
        final String file = "--config=" + write("e.properties", "");
        final IllegalArgumentException unknown =
            assertThrows(IllegalArgumentException.class, () -> NodeProperties.load(new String[] {file, "--node.prot=1"}));
        assertTrue(unknown.getMessage().contains("node.port"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NodeProperties.load(new String[] {file, "--node.port=x"}));
        assertThrows(IllegalArgumentException.class, () -> NodeProperties.load(new String[] {file, "--idle.strategy=nap"}));
        assertThrows(IllegalArgumentException.class, () -> NodeProperties.load(new String[] {file, "node.port=1"}));
        assertThrows(IllegalArgumentException.class, () -> NodeProperties.load(new String[] {file, "--cache.evictionEnabled=yes"}));
        assertThrows(IllegalArgumentException.class, () -> NodeProperties.load(new String[] {file, "--cache.reclaimAheadSegments=two"}));
        assertThrows(IllegalArgumentException.class, () -> NodeProperties.load(new String[] {file, "--cache.shards=four"}));
    }

    @Test
    void shouldParseTheSampleConfigFile()
    {
        final Path sample = Path.of("..", "config", "node.properties");
        final NodeConfig config = NodeProperties.load(new String[] {"--config=" + sample, "--cluster.file="});
        assertEquals(1, config.nodeId());
        assertEquals(1024 * 1024, config.cacheConfig().maxValueLength());
    }

    private Path write(final String name, final String content) throws Exception
    {
        final Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }
}
