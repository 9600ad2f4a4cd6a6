package dev.ferrite.stress.jcstress;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs jcstress ({@code org.openjdk.jcstress.Main}, same arguments) and turns its verdict into an
 * exit code a build can fail on.
 *
 * <p>jcstress 0.16 exits 0 when no test ran ("No matching tests"), and counts a test whose
 * sanity check failed (for instance a fork missing the {@code --add-exports} the engine needs) as a
 * "soft error" it otherwise ignores. This gate reads the final results line and exits 1 unless every
 * planned result passed: no failure, no soft or hard error, at least one result.
 */
public final class JcstressGate
{
    private static final Pattern RESULTS = Pattern.compile(
        "\\(Results: (\\d+) planned; (\\d+) passed, (\\d+) failed, (\\d+) soft errs, (\\d+) hard errs\\)");
    private static final List<String> NON_RUN_OPTIONS = Arrays.asList("-h", "-l", "-p");

    private JcstressGate()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (Arrays.stream(args).anyMatch(NON_RUN_OPTIONS::contains))
        {
            org.openjdk.jcstress.Main.main(args);
            return;
        }

        final ResultsLineWatcher watcher = new ResultsLineWatcher(System.out);
        System.setOut(new PrintStream(watcher, true, StandardCharsets.UTF_8));
        try
        {
            org.openjdk.jcstress.Main.main(args);
        }
        catch (final AssertionError failures)
        {
            // jcstress's exception report: the failures are already printed.
            System.out.flush();
            System.err.println("jcstress gate: FAILED: " + failures.getMessage());
            System.exit(1);
        }
        System.out.flush();

        final String line = watcher.lastResultsLine();
        final Matcher m = line == null ? null : RESULTS.matcher(line);
        if (m == null || !m.find())
        {
            System.err.println("jcstress gate: FAILED: no results line, so no test ran");
            System.exit(1);
        }
        final long planned = Long.parseLong(m.group(1));
        final long passed = Long.parseLong(m.group(2));
        final long failed = Long.parseLong(m.group(3));
        final long softErrors = Long.parseLong(m.group(4));
        final long hardErrors = Long.parseLong(m.group(5));
        if (passed == 0 || passed != planned || failed != 0 || softErrors != 0 || hardErrors != 0)
        {
            System.err.println("jcstress gate: FAILED: " + m.group());
            System.exit(1);
        }
        System.err.println("jcstress gate: passed: " + m.group());
    }

    /** Passes output through and remembers the last line that carries the results counters. */
    private static final class ResultsLineWatcher extends OutputStream
    {
        private final PrintStream target;
        private final StringBuilder line = new StringBuilder();
        private String lastResultsLine;

        ResultsLineWatcher(final PrintStream target)
        {
            this.target = target;
        }

        @Override
        public synchronized void write(final int b)
        {
            target.write(b);
            if (b == '\n' || b == '\r')
            {
                final String text = line.toString();
                if (text.contains("(Results: "))
                {
                    lastResultsLine = text;
                }
                line.setLength(0);
            }
            else if (line.length() < 4096)
            {
                line.append((char)b);
            }
        }

        @Override
        public synchronized void flush()
        {
            target.flush();
        }

        synchronized String lastResultsLine()
        {
            return lastResultsLine;
        }
    }
}
