package dev.ferrite.loadgen.keys;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * YCSB's request distributions.
 * <ul>
 *   <li>{@code uniform}: every record equally likely.</li>
 *   <li>{@code zipfian}: θ = 0.99 over the loaded records, ranks scrambled by a hash so the popular
 *   keys are spread over the key space (YCSB's {@code ScrambledZipfianGenerator}).</li>
 *   <li>{@code latest}: Zipfian over recency: the newest record is the most popular (YCSB's
 *   {@code SkewedLatestGenerator}, workload D).</li>
 * </ul>
 */
public enum KeyDistribution
{
    UNIFORM, ZIPFIAN, LATEST;

    public static final double THETA = 0.99;

    public static KeyDistribution parse(final String name)
    {
        try
        {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("unknown key distribution '" + name + "': use uniform, zipfian or latest");
        }
    }

    /**
     * Shared, expensive part of a distribution (Zipfian's zeta is O(records)); {@link Source#chooser}
     * then hands each requester its own cheap chooser.
     */
    public Source source(final InsertCounter records)
    {
        final long loaded = records.records();
        final Zipfian zipfian = this == UNIFORM ? null : new Zipfian(Math.max(2, loaded), THETA, 1);
        return seed -> chooser(records, zipfian == null ? null : zipfian.withSeed(seed), seed);
    }

    private KeyChooser chooser(final InsertCounter records, final Zipfian zipfian, final long seed)
    {
        switch (this)
        {
            case UNIFORM:
            {
                final SplittableRandom random = new SplittableRandom(seed);
                return () -> random.nextLong(records.records());
            }
            case ZIPFIAN:
            {
                final long items = zipfian.items();
                return () -> Math.floorMod(KeyFormat.mix64(zipfian.nextRank()), Math.min(items, records.records()));
            }
            case LATEST:
            default:
                return () ->
                {
                    final long newest = records.records() - 1;
                    return Math.max(0, newest - zipfian.nextRank());
                };
        }
    }

    /** Makes one chooser per requester. */
    @FunctionalInterface
    public interface Source
    {
        KeyChooser chooser(long seed);
    }
}
