package dev.ferrite.stress.jcstress;

import dev.ferrite.engine.FerriteCache;
import dev.ferrite.engine.Status;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Writes through the status-code API, so a transient {@link Status#FULL} (possible with eviction
 * on only while another writer is stalled inside the oldest segment) is retried instead of thrown.
 */
final class Writes
{
    private static final int MAX_FULL_RETRIES = 1_000_000;

    private Writes()
    {
    }

    /** Puts unconditionally, retrying FULL. @return the new version. */
    static long put(final FerriteCache cache, final byte[] key, final byte[] value)
    {
        final UnsafeBuffer keyBuffer = new UnsafeBuffer(key);
        final UnsafeBuffer valueBuffer = new UnsafeBuffer(value);
        for (int attempt = 0; attempt < MAX_FULL_RETRIES; attempt++)
        {
            final long result = cache.put(keyBuffer, 0, key.length, valueBuffer, 0, value.length, 0);
            if (result != Status.FULL)
            {
                if (result <= 0)
                {
                    throw new IllegalStateException("put failed: " + Status.describe(result));
                }
                return result;
            }
            Thread.yield();
        }
        throw new IllegalStateException("put kept failing with FULL after " + MAX_FULL_RETRIES + " attempts");
    }
}
