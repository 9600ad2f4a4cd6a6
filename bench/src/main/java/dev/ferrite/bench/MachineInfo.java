package dev.ferrite.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Describes the machine and JVM a run used, as {@code key: value} lines for the report: cores, CPU
 * model ({@code /proc/cpuinfo}), memory ({@code /proc/meminfo}), load, JVM. Written in Java so that
 * a machine with only a JRE can produce it.
 *
 * <pre>java -cp benchmarks.jar dev.ferrite.bench.MachineInfo [--out machine.txt] [--note text]</pre>
 */
public final class MachineInfo
{
    private MachineInfo()
    {
    }

    public static void main(final String[] arguments) throws IOException
    {
        final Args args = new Args(arguments, "out", "note");
        final List<String> lines = describe();
        if (args.has("note"))
        {
            lines.add("run: " + args.get("note", ""));
        }
        if (args.has("out"))
        {
            final Path out = Path.of(args.get("out", ""));
            if (out.getParent() != null)
            {
                Files.createDirectories(out.getParent());
            }
            Files.write(out, lines);
        }
        lines.forEach(System.out::println);
    }

    public static List<String> describe() throws IOException
    {
        final List<String> lines = new ArrayList<>();
        lines.add("date: " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        lines.add("cores (nproc): " + Runtime.getRuntime().availableProcessors());
        lines.add("cpu: " + procField("/proc/cpuinfo", "model name"));
        final String memTotal = procField("/proc/meminfo", "MemTotal");
        lines.add("memory: " + (memTotal.endsWith("kB") ?
            String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(memTotal.replaceAll("[^0-9]", "")) / 1048576.0) : memTotal));
        lines.add("load average at start: " + String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        lines.add("jvm: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") +
            " (" + System.getProperty("java.vendor") + ")");
        lines.add("os: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        return lines;
    }

    private static String procField(final String file, final String field) throws IOException
    {
        final Path path = Path.of(file);
        if (!Files.exists(path))
        {
            return "unknown";
        }
        for (final String line : Files.readAllLines(path))
        {
            if (line.startsWith(field))
            {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "unknown";
    }
}
