package dev.ferrite.bench.network;

/**
 * One kind of request/response exchange to time: {@link #call()} sends one request and returns
 * once its answer is in (closed loop, one in flight, so every sample is a whole round trip and
 * there is no queueing to hide: coordinated omission does not arise).
 */
@FunctionalInterface
public interface RoundTrip
{
    /** Sends one request and waits for its answer. @throws IllegalStateException on a wrong or missing answer. */
    void call();
}
