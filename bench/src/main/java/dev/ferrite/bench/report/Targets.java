package dev.ferrite.bench.report;

import dev.ferrite.bench.hitratio.HitRatioMain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The performance targets of the issue, each judged met or missed from the results at hand (or
 * "not measured" when this run did not produce the data).
 */
public final class Targets
{
    /** Below this, the API allocates less than one 16-byte object per 32 operations: JMH's own bookkeeping is about 0.01. */
    public static final double ZERO_ALLOCATION_THRESHOLD_BYTES = 0.5;
    public static final double MAX_OVERHEAD_BYTES = 32;
    /** Hit ratios equal to within this are ties (identical replays can differ in the last bits). */
    private static final double HIT_RATIO_TIE = 1e-6;

    public record Verdict(String target, String status, String evidence)
    {
    }

    private Targets()
    {
    }

    public static List<Verdict> judge(final List<JmhResult> jmh, final List<MemoryRow> memory,
        final List<HitRatioMain.Row> hitRatio)
    {
        final List<Verdict> verdicts = new ArrayList<>();
        verdicts.add(throughputRatio(jmh, 100, "caffeine", 1.0, false, "get throughput ≥ Caffeine's at every thread count"));
        verdicts.add(throughputRatio(jmh, 100, "chronicle", 3.0, false, "get throughput ≥ 3× Chronicle Map's at every thread count"));
        verdicts.add(throughputRatio(jmh, 100, "ohc", 3.0, false, "get throughput ≥ 3× OHC's at every thread count"));
        verdicts.add(throughputRatio(jmh, 50, "caffeine", 2.0, true, "50/50 throughput ≥ 2× Caffeine's at the highest thread count"));
        verdicts.add(throughputRatio(jmh, 0, "caffeine", 2.0, true, "put throughput ≥ 2× Caffeine's at the highest thread count"));
        verdicts.add(zeroAllocation(jmh));
        verdicts.add(overhead(memory));
        verdicts.addAll(hitRatio(hitRatio));
        return verdicts;
    }

    private static Verdict throughputRatio(final List<JmhResult> jmh, final int getPercent, final String peer,
        final double factor, final boolean highestThreadsOnly, final String target)
    {
        final int highest = jmh.stream().mapToInt(JmhResult::threads).max().orElse(0);
        double worst = Double.MAX_VALUE;
        String worstWhere = "";
        int cells = 0;
        for (final JmhResult ferrite : jmh)
        {
            if (!ferrite.implementation().equals("ferrite") || ferrite.getPercent() != getPercent ||
                (highestThreadsOnly && ferrite.threads() != highest))
            {
                continue;
            }
            for (final JmhResult other : jmh)
            {
                if (other.implementation().equals(peer) && other.getPercent() == getPercent &&
                    other.threads() == ferrite.threads() && other.distribution().equals(ferrite.distribution()) &&
                    other.valueBytes() == ferrite.valueBytes())
                {
                    cells++;
                    final double ratio = ferrite.opsPerSecond() / other.opsPerSecond();
                    if (ratio < worst)
                    {
                        worst = ratio;
                        worstWhere = ferrite.distribution() + ", " + ferrite.valueBytes() + " B, " + ferrite.threads() + " threads";
                    }
                }
            }
        }
        if (cells == 0)
        {
            return new Verdict(target, "not measured", "no " + JmhResult.mixName(getPercent) + " results for ferrite and " + peer);
        }
        return new Verdict(target, worst >= factor ? "met" : "missed",
            String.format(Locale.ROOT, "worst Ferrite/%s = %.2f× (%s) over %d comparisons; needs %.0f×", peer, worst,
                worstWhere, cells, factor));
    }

    private static Verdict zeroAllocation(final List<JmhResult> jmh)
    {
        double worst = -1;
        String where = "";
        for (final JmhResult result : jmh)
        {
            if (result.implementation().equals("ferrite") && !Double.isNaN(result.bytesPerOp()) && result.bytesPerOp() > worst)
            {
                worst = result.bytesPerOp();
                where = result.workload() + ", " + result.threads() + " threads";
            }
        }
        final String target = "0 bytes/op allocated on the zero-garbage API";
        if (worst < 0)
        {
            return new Verdict(target, "not measured", "no gc.alloc.rate.norm for ferrite");
        }
        return new Verdict(target, worst < ZERO_ALLOCATION_THRESHOLD_BYTES ? "met" : "missed",
            String.format(Locale.ROOT, "largest %.3f B/op (%s); counted as 0 below %.1f B/op", worst, where,
                ZERO_ALLOCATION_THRESHOLD_BYTES));
    }

    private static Verdict overhead(final List<MemoryRow> memory)
    {
        final String target = "≤ 32 bytes overhead per entry, index included";
        final List<String> evidence = new ArrayList<>();
        boolean met = true;
        for (final MemoryRow row : memory)
        {
            if (row.implementation().equals("ferrite"))
            {
                evidence.add(String.format(Locale.ROOT, "%.1f B at %,d entries", row.overheadPerEntry(), row.entries()));
                met &= row.overheadPerEntry() <= MAX_OVERHEAD_BYTES;
            }
        }
        if (evidence.isEmpty())
        {
            return new Verdict(target, "not measured", "no memory results for ferrite");
        }
        return new Verdict(target, met ? "met" : "missed", String.join("; ", evidence) + " (full store, all allocated bytes)");
    }

    private static List<Verdict> hitRatio(final List<HitRatioMain.Row> rows)
    {
        final String versusLru = "hit ratio ≥ LRU on every trace and size";
        final String versusCaffeine = "hit ratio within 2 points of Caffeine on average";
        if (rows.isEmpty())
        {
            return List.of(new Verdict(versusLru, "not measured", "no hit-ratio results"),
                new Verdict(versusCaffeine, "not measured", "no hit-ratio results"));
        }
        final List<String> below = new ArrayList<>();
        for (final HitRatioMain.Row row : rows)
        {
            if (row.ferrite() < row.lru() - HIT_RATIO_TIE)
            {
                below.add(row.trace() + "@" + row.size());
            }
        }
        final HitRatioMain.Summary summary = HitRatioMain.Summary.of(rows);
        final double gap = 100 * (summary.ferrite - summary.caffeine);
        return List.of(
            new Verdict(versusLru, below.isEmpty() ? "met" : "missed", String.format(Locale.ROOT,
                "below LRU in %d of %d rows (worst %+.2f points)%s", below.size(), rows.size(), 100 * summary.worstVersusLru,
                below.isEmpty() ? "" : ": " + String.join(", ", below.subList(0, Math.min(12, below.size()))) +
                    (below.size() > 12 ? ", ..." : ""))),
            new Verdict(versusCaffeine, gap >= -2 ? "met" : "missed", String.format(Locale.ROOT,
                "average Ferrite − Caffeine = %+.2f points over %d rows", gap, rows.size())));
    }
}
