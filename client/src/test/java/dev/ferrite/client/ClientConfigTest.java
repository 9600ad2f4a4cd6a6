package dev.ferrite.client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

class ClientConfigTest
{
    @Test
    void shouldTakeSeedsFromTheClusterFile(@TempDir final Path directory) throws Exception
    {
        final Path file = directory.resolve("cluster.conf");
        Files.writeString(file, "epoch = 3\nvirtual-nodes = 16\nnode.1 = 127.0.0.1:7101\nnode.2 = 127.0.0.1:7102 # second\n");
        final ClientConfig config = new ClientConfig().clusterFile(file).conclude();
        assertEquals(List.of("127.0.0.1:7101", "127.0.0.1:7102"), config.seeds());
    }

    @Test
    void shouldRoundMaxInFlightUpToAPowerOfTwo()
    {
        assertEquals(128, new ClientConfig().seeds("h:1").maxInFlight(100).conclude().maxInFlight());
        assertEquals(1024, new ClientConfig().seeds("h:1").conclude().maxInFlight());
    }

    @Test
    void shouldRejectBadSettingsByName()
    {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ClientConfig().conclude()).getMessage().contains("seeds"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ClientConfig().seeds("nohost").conclude()).getMessage().contains("host:port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ClientConfig().seeds("h:1").requestTimeoutMs(0).conclude())
            .getMessage().contains("requestTimeoutMs"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ClientConfig().seeds("h:1").maxInFlight(1).conclude())
            .getMessage().contains("maxInFlight"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ClientConfig().seeds("h:1").idleStrategy("nap").conclude())
            .getMessage().contains("nap"));
    }
}
