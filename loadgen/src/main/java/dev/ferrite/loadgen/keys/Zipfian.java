package dev.ferrite.loadgen.keys;

import java.util.SplittableRandom;

/**
 * Zipfian ranks in {@code [0, n)} with skew {@code theta} (0.99 as in YCSB), by the method of Gray
 * et al., "Quickly generating billion-record synthetic databases" (SIGMOD 1994), which YCSB's
 * {@code ZipfianGenerator} uses. Rank 0 is the most popular. Not thread-safe: each thread owns
 * one; {@link #withSeed(long)} gives another thread its own without recomputing zeta (O(n)).
 */
public final class Zipfian
{
    private final long items;
    private final double theta;
    private final double zetaN;
    private final double alpha;
    private final double eta;
    private final double halfPowTheta;
    private final SplittableRandom random;

    public Zipfian(final long items, final double theta, final long seed)
    {
        if (items < 2 || theta <= 0 || theta >= 1)
        {
            throw new IllegalArgumentException("items=" + items + " theta=" + theta + ": need items >= 2, 0 < theta < 1");
        }
        this.items = items;
        this.theta = theta;
        this.zetaN = zeta(items, theta);
        this.alpha = 1.0 / (1.0 - theta);
        final double zeta2 = zeta(2, theta);
        this.eta = (1 - Math.pow(2.0 / items, 1 - theta)) / (1 - zeta2 / zetaN);
        this.halfPowTheta = 1 + Math.pow(0.5, theta);
        this.random = new SplittableRandom(seed);
    }

    private Zipfian(final Zipfian constants, final long seed)
    {
        this.items = constants.items;
        this.theta = constants.theta;
        this.zetaN = constants.zetaN;
        this.alpha = constants.alpha;
        this.eta = constants.eta;
        this.halfPowTheta = constants.halfPowTheta;
        this.random = new SplittableRandom(seed);
    }

    /** The same distribution with its own random stream, for another thread. */
    public Zipfian withSeed(final long seed)
    {
        return new Zipfian(this, seed);
    }

    public long items()
    {
        return items;
    }

    private static double zeta(final long n, final double theta)
    {
        double sum = 0;
        for (long i = 1; i <= n; i++)
        {
            sum += 1 / Math.pow(i, theta);
        }
        return sum;
    }

    public long nextRank()
    {
        final double u = random.nextDouble();
        final double uz = u * zetaN;
        if (uz < 1.0)
        {
            return 0;
        }
        if (uz < halfPowTheta)
        {
            return 1;
        }
        return Math.min(items - 1, (long)(items * Math.pow(eta * u - eta + 1, alpha)));
    }

    public double theta()
    {
        return theta;
    }
}
