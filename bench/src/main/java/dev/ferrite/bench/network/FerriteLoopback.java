package dev.ferrite.bench.network;

/**
 * The Ferrite side of the benchmark: one node and one client, each with its own media driver, over
 * loopback UDP, measuring get and set round trips of the key and value sizes the raw baseline uses.
 *
 * <p>Not written yet: the node ({@code wip-server}) and the client ({@code wip-client}) are still
 * being built. This is the only piece of the benchmark left to fill in once they land.
 */
public final class FerriteLoopback implements AutoCloseable
{
    private FerriteLoopback()
    {
    }

    /** @throws UnsupportedOperationException until the node and the client exist. */
    public static FerriteLoopback start(final String idleStrategy, final int keyBytes, final int valueBytes)
    {
        throw new UnsupportedOperationException("the Ferrite node and client are not in this branch yet (wip-server, wip-client)");
    }

    /** A get of a present key, answered with its value. */
    public RoundTrip get()
    {
        throw new UnsupportedOperationException();
    }

    /** A set (ALWAYS) of the key to a value of the configured size. */
    public RoundTrip set()
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close()
    {
    }
}
