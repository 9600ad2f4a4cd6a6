package dev.ferrite.bench.network;

/**
 * One measured line of the report: an operation ({@code get}, {@code set}) on one stack
 * ({@code raw Aeron}, {@code Ferrite}), the bytes each way, and how to perform it.
 */
public record Exchange(String operation, String stack, int requestBytes, int responseBytes, RoundTrip roundTrip)
{
    public static final String RAW_AERON = "raw Aeron";
    public static final String FERRITE = "Ferrite";
    /** Diagnostic: raw Aeron with the answers taken by a poller thread that unparks the caller. */
    public static final String RAW_AERON_HAND_OFF = "raw Aeron, poller hand-off";
}
