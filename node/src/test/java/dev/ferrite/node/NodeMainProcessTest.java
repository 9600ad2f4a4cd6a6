package dev.ferrite.node;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeMainProcessTest
{
    private static final Pattern DRIVER_DIR = Pattern.compile("media driver (\\S+),");

    @Test
    void shouldStopGracefullyOnSigtermWithExitCodeZeroAndItsDriverDirectoryGone() throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(new File(System.getProperty("java.home"), "bin/java").getPath());
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (arg.startsWith("--add-") || arg.startsWith("--enable-") || arg.startsWith("--sun-misc") || arg.startsWith("-D"))
            {
                command.add(arg); // the same ferrite.jvm.flags surefire runs this test with
            }
        }
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(NodeMain.class.getName());
        command.add("--node.id=4");
        command.add("--node.port=0");
        command.add("--cluster.file=");
        command.add("--cache.capacityBytes=33554432");

        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try
        {
            // Process.destroy() closes our end of the pipes, so a thread drains the output meanwhile.
            final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            final Thread reader = new Thread(() ->
            {
                try (BufferedReader output = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
                {
                    String line;
                    while ((line = output.readLine()) != null)
                    {
                        lines.add(line);
                    }
                }
                catch (final java.io.IOException ignore)
                {
                    // the stream is closed by destroy()
                }
            });
            reader.setDaemon(true);
            reader.start();
            String listening = null;
            final StringBuilder seen = new StringBuilder();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (listening == null && System.nanoTime() < deadline && (process.isAlive() || !lines.isEmpty()))
            {
                final String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null)
                {
                    seen.append(line).append('\n');
                    if (line.startsWith(NodeMain.LISTENING))
                    {
                        listening = line;
                    }
                }
            }
            assertNotNull(listening, () -> "no listening line; output:\n" + seen);
            assertTrue(listening.contains("aeron:udp?endpoint=127.0.0.1:"), listening);
            final Matcher matcher = DRIVER_DIR.matcher(listening);
            assertTrue(matcher.find(), listening);
            final File driverDir = new File(matcher.group(1));
            assertTrue(driverDir.exists(), "driver directory while running: " + driverDir);

            process.destroy(); // SIGTERM
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "stopped within 30 s");
            reader.join(5_000);
            final StringBuilder rest = new StringBuilder();
            lines.forEach(line -> rest.append(line).append('\n'));
            assertEquals(0, process.exitValue(), () -> "exit code; output after the signal:\n" + rest);
            assertFalse(driverDir.exists(), "the embedded driver's directory is removed on exit");
        }
        finally
        {
            process.destroyForcibly();
        }
    }
}
