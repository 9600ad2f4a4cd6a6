package dev.ferrite.bench.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Formats a run as markdown: every Ferrite figure beside raw Aeron's for the same operation and
 * message sizes, the ratio, and whether the target (Ferrite's p50 within 1.5x of raw Aeron's) holds.
 */
public final class NetworkLatencyReport
{
    public static final double TARGET_P50_RATIO = 1.5;

    private NetworkLatencyReport()
    {
    }

    /** A measured exchange and its figures. */
    public record Result(Exchange exchange, LatencySummary summary)
    {
    }

    public static String format(final List<Result> results, final List<String> runLines, final List<String> machineLines)
    {
        final StringBuilder md = new StringBuilder();
        md.append("# Network round-trip latency: Ferrite vs raw Aeron\n\n");
        md.append("Client to node and back over loopback UDP, one request in flight (closed loop). ")
            .append("Regenerate with `bench/network-latency.sh`.\n\n");
        md.append("| operation | bytes out / back | stack | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs | samples |\n");
        md.append("|---|--:|---|--:|--:|--:|--:|--:|--:|\n");
        final List<String> verdicts = new ArrayList<>();
        for (final Result result : results)
        {
            row(md, result);
            if (result.exchange().stack().equals(Exchange.FERRITE))
            {
                final Result raw = find(results, result.exchange().operation(), Exchange.RAW_AERON);
                if (raw != null)
                {
                    ratioRow(md, result, raw, verdicts);
                }
            }
        }
        if (results.stream().noneMatch(r -> r.exchange().stack().equals(Exchange.FERRITE)))
        {
            verdicts.add("Ferrite: not measured in this run (see the run notes).");
        }
        md.append('\n');
        for (final String verdict : verdicts)
        {
            md.append("- ").append(verdict).append('\n');
        }
        md.append("\n## Run\n\n");
        runLines.forEach(line -> md.append("- ").append(line).append('\n'));
        md.append("\n## Machine\n\n");
        machineLines.forEach(line -> md.append("- ").append(line).append('\n'));
        return md.toString();
    }

    private static void row(final StringBuilder md, final Result result)
    {
        final Exchange exchange = result.exchange();
        md.append(String.format(Locale.ROOT, "| %s | %d / %d | %s |", exchange.operation(), exchange.requestBytes(),
            exchange.responseBytes(), exchange.stack()));
        for (final long ns : result.summary().percentilesNs())
        {
            md.append(String.format(Locale.ROOT, " %.1f |", ns / 1000.0));
        }
        md.append(String.format(Locale.ROOT, " %,d |%n", result.summary().count()));
    }

    private static void ratioRow(final StringBuilder md, final Result ferrite, final Result raw, final List<String> verdicts)
    {
        md.append("| ").append(ferrite.exchange().operation()).append(" | | **Ferrite / raw** |");
        final long[] ferriteNs = ferrite.summary().percentilesNs();
        final long[] rawNs = raw.summary().percentilesNs();
        for (int i = 0; i < ferriteNs.length; i++)
        {
            md.append(String.format(Locale.ROOT, " %.2f× |", (double)ferriteNs[i] / rawNs[i]));
        }
        md.append(" |\n");
        final double p50Ratio = (double)ferrite.summary().p50Ns() / raw.summary().p50Ns();
        verdicts.add(String.format(Locale.ROOT, "%s: Ferrite's p50 is %.2f× raw Aeron's: target (≤ %.1f×) %s.",
            ferrite.exchange().operation(), p50Ratio, TARGET_P50_RATIO, p50Ratio <= TARGET_P50_RATIO ? "met" : "NOT met"));
    }

    private static Result find(final List<Result> results, final String operation, final String stack)
    {
        for (final Result result : results)
        {
            if (result.exchange().operation().equals(operation) && result.exchange().stack().equals(stack))
            {
                return result;
            }
        }
        return null;
    }
}
