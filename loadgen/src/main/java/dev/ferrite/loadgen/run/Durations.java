package dev.ferrite.loadgen.run;

import java.util.Locale;

/** Nanoseconds as a short human reading: {@code 850 ns}, {@code 92 µs}, {@code 1.21 ms}, {@code 2.0 s}. */
public final class Durations
{
    private Durations()
    {
    }

    public static String format(final long nanos)
    {
        if (nanos < 1_000)
        {
            return nanos + " ns";
        }
        if (nanos < 1_000_000)
        {
            return String.format(Locale.ROOT, nanos < 10_000 ? "%.1f µs" : "%.0f µs", nanos / 1e3);
        }
        if (nanos < 1_000_000_000)
        {
            return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
