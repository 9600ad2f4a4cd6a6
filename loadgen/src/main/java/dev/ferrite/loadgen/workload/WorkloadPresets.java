package dev.ferrite.loadgen.workload;

import dev.ferrite.loadgen.keys.KeyDistribution;

import java.util.Locale;

/**
 * YCSB's core workloads (E, short range scans, has no cache equivalent and is left out):
 * <pre>
 *   A  update heavy      50% read  50% update           zipfian
 *   B  read mostly       95% read   5% update           zipfian
 *   C  read only        100% read                       zipfian
 *   D  read latest       95% read   5% insert           latest
 *   F  read-modify-write 50% read  50% read-modify-write zipfian
 * </pre>
 */
public final class WorkloadPresets
{
    private WorkloadPresets()
    {
    }

    public static Workload preset(final String letter)
    {
        switch (letter.trim().toUpperCase(Locale.ROOT))
        {
            case "A":
                return new Workload("ycsb-a", 50, 50, 0, 0, KeyDistribution.ZIPFIAN);
            case "B":
                return new Workload("ycsb-b", 95, 5, 0, 0, KeyDistribution.ZIPFIAN);
            case "C":
                return new Workload("ycsb-c", 100, 0, 0, 0, KeyDistribution.ZIPFIAN);
            case "D":
                return new Workload("ycsb-d", 95, 0, 5, 0, KeyDistribution.LATEST);
            case "F":
                return new Workload("ycsb-f", 50, 0, 0, 50, KeyDistribution.ZIPFIAN);
            default:
                throw new IllegalArgumentException("unknown YCSB workload '" + letter + "': use A, B, C, D or F");
        }
    }
}
