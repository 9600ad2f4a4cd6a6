package dev.ferrite.loadgen.target;

import java.util.concurrent.CompletableFuture;

/**
 * What the load generator drives: a cache reached through its own client. Calls are asynchronous
 * so a requester can keep several in flight (pipelining); a target whose client is synchronous
 * completes the future before returning.
 *
 * <p>Implementations must be safe for concurrent calls from all requesters.
 */
public interface LoadTarget extends AutoCloseable
{
    /** Shown in reports, e.g. {@code ferrite (3 nodes)} or {@code redis 7.0.15}. */
    String name();

    /** Completes with true when the key was found. */
    CompletableFuture<Boolean> read(byte[] key);

    CompletableFuture<Void> write(byte[] key, byte[] value);

    /**
     * The view requester {@code requester} uses: a target with one connection per requester (as
     * Redis clients are used) returns a view bound to that connection; others return themselves.
     */
    default LoadTarget forRequester(final int requester)
    {
        return this;
    }

    @Override
    default void close() throws Exception
    {
    }
}
