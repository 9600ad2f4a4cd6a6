package dev.ferrite.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

/** The README's run command, shortened: it must start, load, run, show routing and MOVED, and stop. */
class DemoCommandTest
{
    @Test
    void shouldRunTheWholeTourAndLeaveNoNodeRunning(@TempDir final Path directory) throws Exception
    {
        final int exit = FerriteMain.commandLine().execute("demo", "--records", "500", "--seconds", "1",
            "--dir", directory.toString(), "--base-port", Integer.toString(ClusterProcessesTest.freeBasePort(3)));
        assertEquals(0, exit);
        assertTrue(Files.size(directory.resolve("latency.png")) > 1000, "the chart is written");
        assertTrue(new LocalCluster(new ClusterLayout(directory)).runningNodes().isEmpty(), "the demo stops its cluster");
        assertTrue(Files.readString(directory.resolve("logs").resolve("node-1.log")).contains("stopped"), "stopped gracefully");
    }
}
