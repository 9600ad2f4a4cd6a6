package dev.ferrite.bench.hitratio;

import java.util.List;
import java.util.Map;

/**
 * Cache sizes (entries) to replay each trace at: the traces README's reference N where it gives one,
 * and sizes around it chosen from the trace's number of unique keys (small, medium, large share).
 * Unknown traces get about 5%, 10% and 25% of their unique keys.
 */
public final class TraceSizes
{
    /** The README's reference sizes; the report marks these rows. */
    public static final Map<String, Integer> REFERENCE_SIZES = Map.of(
        "loop", 1000, "multi1", 1000, "sprite", 500, "2_pools", 1000, "zigzag", 500, "cpp", 500,
        "web12", 2000, "orm-night", 5000);

    private static final Map<String, List<Integer>> SIZES = Map.ofEntries(
        Map.entry("loop", List.of(250, 500, 1000)),
        Map.entry("multi1", List.of(500, 1000, 2000)),
        Map.entry("multi2", List.of(1000, 2000, 4000)),
        Map.entry("multi3", List.of(1000, 2000, 4000)),
        Map.entry("sprite", List.of(100, 500, 1000)),
        Map.entry("2_pools", List.of(500, 1000, 2000)),
        Map.entry("zigzag", List.of(250, 500, 1000)),
        Map.entry("cpp", List.of(100, 250, 500)),
        Map.entry("cs", List.of(100, 250, 500)),
        Map.entry("gli", List.of(250, 500, 1000)),
        Map.entry("ps", List.of(250, 500, 1000)),
        Map.entry("scan", List.of(250, 500, 1000)),
        Map.entry("web07", List.of(1000, 2000, 4000)),
        Map.entry("web12", List.of(1000, 2000, 4000)),
        Map.entry("orm-busy", List.of(1000, 5000, 10000)),
        Map.entry("orm-night", List.of(1000, 5000, 10000)));

    private TraceSizes()
    {
    }

    public static List<Integer> sizesFor(final String trace, final int uniqueKeys)
    {
        final List<Integer> known = SIZES.get(trace);
        if (known != null)
        {
            return known;
        }
        return List.of(Math.max(100, uniqueKeys / 20), Math.max(200, uniqueKeys / 10), Math.max(400, uniqueKeys / 4));
    }

    public static boolean isReference(final String trace, final int size)
    {
        final Integer reference = REFERENCE_SIZES.get(trace);
        return reference != null && reference == size;
    }
}
