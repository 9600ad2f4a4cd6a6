package dev.ferrite.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Starts another {@code ferrite} subcommand as its own process: the same {@code java}, the same jar
 * and the JVM flags the build recorded, so a node started by {@code ferrite cluster start} runs
 * exactly as {@code ./ferrite node} would. Output goes to a log file, never to a pipe, so the child
 * outlives this process.
 */
final class ProcessLauncher
{
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private ProcessLauncher()
    {
    }

    static Process start(final List<String> ferriteArguments, final Path log) throws IOException
    {
        Files.createDirectories(log.toAbsolutePath().getParent());
        final List<String> command = new ArrayList<>();
        // Its own session (setsid, where there is one): a Ctrl-C or hang-up in the terminal that
        // started the cluster must not reach the nodes; they stop on SIGTERM from 'cluster stop'.
        if (Files.isExecutable(SETSID))
        {
            command.add(SETSID.toString());
        }
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmFlags());
        command.add("-cp");
        command.add(classPath());
        command.add(FerriteMain.class.getName());
        command.addAll(ferriteArguments);
        return new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    }

    /** The flags from {@code ferrite-cli.properties}, minus those this JVM is too old to accept. */
    static List<String> jvmFlags()
    {
        final Properties properties = new Properties();
        try (InputStream in = ProcessLauncher.class.getResourceAsStream("/ferrite-cli.properties"))
        {
            if (in != null)
            {
                properties.load(in);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final List<String> flags = new ArrayList<>();
        for (final String flag : properties.getProperty("jvm.flags", "").trim().split("\\s+"))
        {
            if (flag.isEmpty() || flag.startsWith("${") ||
                (flag.startsWith("--sun-misc-unsafe-memory-access") && Runtime.version().feature() < 24))
            {
                continue;
            }
            flags.add(flag);
        }
        return flags;
    }

    private static String classPath()
    {
        try
        {
            final Path location = Path.of(FerriteMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // From the shaded jar the jar is the class path; from classes/ (tests), the JVM's own class path.
            return Files.isRegularFile(location) ? location.toString() : System.getProperty("java.class.path");
        }
        catch (final URISyntaxException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
