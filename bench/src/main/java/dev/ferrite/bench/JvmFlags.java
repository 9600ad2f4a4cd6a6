package dev.ferrite.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The flags every JVM this module starts gets: the parent pom's {@code ferrite.jvm.flags} (filtered
 * into {@code bench.properties} at build time) plus what Chronicle Map needs on top.
 */
public final class JvmFlags
{
    /** Chronicle Map compiles nothing for byte[] entries, but probes javac's file manager when loaded. */
    public static final List<String> CHRONICLE_MAP_FLAGS = List.of(
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "-Dchronicle.analytics.disable=true");

    private JvmFlags()
    {
    }

    /** The parent pom's {@code ferrite.jvm.flags}, split on whitespace. */
    public static List<String> ferriteFlags()
    {
        final Properties properties = new Properties();
        try (InputStream in = JvmFlags.class.getResourceAsStream("/bench.properties"))
        {
            if (in == null)
            {
                throw new IllegalStateException("bench.properties is missing from the classpath: build with Maven");
            }
            properties.load(in);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        final String flags = properties.getProperty("jvm.flags", "").trim();
        if (flags.isEmpty() || flags.contains("${"))
        {
            throw new IllegalStateException("bench.properties was not filtered: jvm.flags=" + flags);
        }
        return Arrays.asList(flags.split("\\s+"));
    }

    /** Ferrite's flags, Chronicle Map's extras (without repeats), then {@code extra}. */
    public static List<String> forkFlags(final String... extra)
    {
        final List<String> flags = new ArrayList<>(ferriteFlags());
        for (final String flag : CHRONICLE_MAP_FLAGS)
        {
            if (!flags.contains(flag))
            {
                flags.add(flag);
            }
        }
        flags.addAll(Arrays.asList(extra));
        return flags;
    }
}
