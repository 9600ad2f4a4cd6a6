package dev.ferrite.bench.network;

/**
 * One measured line of the report: an operation ({@code get}, {@code set}) on one stack
 * ({@code raw Aeron}, {@code Ferrite}), the bytes each way, and how to perform it.
 */
public record Exchange(String operation, String stack, int requestBytes, int responseBytes, RoundTrip roundTrip)
{
    public static final String RAW_AERON = "raw Aeron";
    public static final String FERRITE = "Ferrite";
}
