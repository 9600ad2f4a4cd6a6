package dev.ferrite.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a main class of this jar in a fresh JVM (same Java, same classpath, the module's fork flags),
 * so that each implementation is measured alone: no JIT profile, heap or native memory left over
 * from another. Lines the child prints starting with {@link #RESULT_PREFIX} are returned; the rest
 * is echoed with a prefix.
 */
public final class ChildJvm
{
    public static final String RESULT_PREFIX = "RESULT\t";

    private ChildJvm()
    {
    }

    /** @return the child's result lines, without the prefix. @throws IllegalStateException if it fails. */
    public static List<String> run(final List<String> jvmOptions, final Class<?> mainClass, final List<String> arguments)
        throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JvmFlags.forkFlags());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(arguments);
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final List<String> results = new ArrayList<>();
        final String label = "[" + mainClass.getSimpleName() + " " + String.join(" ", arguments) + "] ";
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                if (line.startsWith(RESULT_PREFIX))
                {
                    results.add(line.substring(RESULT_PREFIX.length()));
                }
                else
                {
                    System.out.println(label + line);
                }
            }
        }
        final int exit = process.waitFor();
        if (exit != 0)
        {
            throw new IllegalStateException(label + "exited with status " + exit);
        }
        return results;
    }
}
