package dev.ferrite.transport.metrics;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.agrona.concurrent.status.CountersReader;

/**
 * Renders Ferrite's Aeron counters in the Prometheus text exposition format (version 0.0.4).
 *
 * <p>A node's counters carry one type id and labels of the form {@code <prefix>: <name>}; the name
 * decides the metric:
 * <pre>
 *   requests.get          ferrite_requests_total{type="get"}          counter
 *   errors.MALFORMED      ferrite_errors_total{code="MALFORMED"}      counter
 *   engine.entries        ferrite_engine_entries                      gauge (engine.* are levels)
 *   moved.sent            ferrite_moved_sent_total                    counter
 * </pre>
 * Reading is lock-free and allocation is per scrape, never on the node's request path.
 */
public final class PrometheusText
{
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final String REQUESTS = "requests.";
    private static final String ERRORS = "errors.";
    private static final String ENGINE = "engine.";
    /** engine.* values that only grow, exported as counters. */
    private static final Set<String> ENGINE_COUNTERS = Set.of("hits", "misses", "puts", "removes", "evictions", "expirations", "relocations");

    private PrometheusText()
    {
    }

    /**
     * @param constantLabels added to every sample, e.g. {@code node="1"}.
     */
    public static String render(final CountersReader counters, final int typeId, final Map<String, String> constantLabels)
    {
        final Map<String, Family> families = new TreeMap<>();
        counters.forEach((counterId, counterTypeId, keyBuffer, label) ->
        {
            if (counterTypeId != typeId)
            {
                return;
            }
            final String name = label.substring(label.lastIndexOf(':') + 1).trim();
            final long value = counters.getCounterValue(counterId);
            add(families, name, value);
        });
        final StringBuilder text = new StringBuilder(4096);
        final String constant = labels(constantLabels);
        families.forEach((metric, family) ->
        {
            text.append("# HELP ").append(metric).append(' ').append(family.help).append('\n');
            text.append("# TYPE ").append(metric).append(' ').append(family.type).append('\n');
            family.samples.forEach((extraLabel, value) ->
            {
                text.append(metric);
                final String all = join(constant, extraLabel);
                if (!all.isEmpty())
                {
                    text.append('{').append(all).append('}');
                }
                text.append(' ').append(value).append('\n');
            });
        });
        return text.toString();
    }

    private static void add(final Map<String, Family> families, final String name, final long value)
    {
        if (name.startsWith(REQUESTS))
        {
            family(families, "ferrite_requests_total", "counter", "Requests received, by message type.")
                .samples.put("type=\"" + escape(name.substring(REQUESTS.length())) + "\"", value);
        }
        else if (name.startsWith(ERRORS))
        {
            family(families, "ferrite_errors_total", "counter", "Error answers and dropped requests, by error code.")
                .samples.put("code=\"" + escape(name.substring(ERRORS.length())) + "\"", value);
        }
        else if (name.startsWith(ENGINE))
        {
            final String stat = name.substring(ENGINE.length());
            final boolean counter = ENGINE_COUNTERS.contains(stat);
            family(families, "ferrite_engine_" + snake(stat) + (counter ? "_total" : ""), counter ? "counter" : "gauge",
                "Engine statistic " + stat + ".").samples.put("", value);
        }
        else
        {
            family(families, "ferrite_" + snake(name) + "_total", "counter", "Node counter " + name + ".").samples.put("", value);
        }
    }

    private static Family family(final Map<String, Family> families, final String metric, final String type, final String help)
    {
        return families.computeIfAbsent(metric, ignored -> new Family(type, help));
    }

    /** {@code bytesInUse} or {@code moved.sent} → {@code bytes_in_use}, {@code moved_sent}. */
    static String snake(final String name)
    {
        final StringBuilder out = new StringBuilder(name.length() + 8);
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (Character.isUpperCase(c))
            {
                if (out.length() > 0 && out.charAt(out.length() - 1) != '_')
                {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            }
            else
            {
                out.append(Character.isLetterOrDigit(c) ? c : '_');
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    private static String labels(final Map<String, String> labels)
    {
        final StringBuilder out = new StringBuilder();
        labels.forEach((key, value) -> out.append(out.length() == 0 ? "" : ",").append(key).append("=\"").append(escape(value)).append('"'));
        return out.toString();
    }

    private static String join(final String first, final String second)
    {
        return first.isEmpty() ? second : second.isEmpty() ? first : first + "," + second;
    }

    private static String escape(final String value)
    {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static final class Family
    {
        final String type;
        final String help;
        final Map<String, Long> samples = new TreeMap<>();

        Family(final String type, final String help)
        {
            this.type = type;
            this.help = help;
        }
    }
}
