package dev.ferrite.stress.jcstress;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fresh keys for jcstress states. jcstress allocates thousands of state objects per epoch and all
 * of them share one cache per test (an off-heap store per state would exhaust native memory), so
 * each state gets a key no other state ever used: outcomes of one state cannot leak into another.
 */
final class Keys
{
    private static final AtomicLong NEXT_ID = new AtomicLong();

    private Keys()
    {
    }

    /** A key never handed out before in this JVM, with the given prefix. */
    static byte[] next(final String prefix)
    {
        return (prefix + NEXT_ID.incrementAndGet()).getBytes(StandardCharsets.US_ASCII);
    }
}
