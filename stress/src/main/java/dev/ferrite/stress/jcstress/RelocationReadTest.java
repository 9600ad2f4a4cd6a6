package dev.ferrite.stress.jcstress;

import dev.ferrite.engine.FerriteCache;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Reads racing relocation. In the smallest cache with eviction off, one key holds A for the whole
 * run and is never written again; the churner keeps overwriting four 1 KiB filler keys, so the log
 * laps every ~50 writes and each reclaim of the oldest segment copies the live records it holds
 * (A among them) to the tail and reuses the segment. A reader racing that copy and the reuse must
 * still find A, whole: a miss or garbage means relocation lost or tore a live entry.
 *
 * <p>r1: what get saw; r2: containsKey (1 = true).
 */
@JCStressTest
@Description("A live key stays readable, whole, while compaction relocates it (eviction off)")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "A found whole by get and by containsKey")
@Outcome(expect = FORBIDDEN, desc = "A live, never-removed key was missed or read torn during relocation")
@State
public class RelocationReadTest
{
    private static final byte[] STABLE_KEY = "relocate:stable".getBytes(StandardCharsets.US_ASCII);
    private static final byte[][] FILLER_KEYS = new byte[4][];
    private static final byte[] FILLER = Values.filled((byte)0x7F, 1024);

    static
    {
        Writes.put(StressCaches.tinyCompacting(), STABLE_KEY, Values.A);
        for (int i = 0; i < FILLER_KEYS.length; i++)
        {
            FILLER_KEYS[i] = ("relocate:filler" + i).getBytes(StandardCharsets.US_ASCII);
        }
    }

    private final FerriteCache cache = StressCaches.tinyCompacting();

    @Actor
    public void churner()
    {
        Writes.put(cache, FILLER_KEYS[ThreadLocalRandom.current().nextInt(FILLER_KEYS.length)], FILLER);
    }

    @Actor
    public void reader(final II_Result r)
    {
        r.r1 = Values.classify(cache.get(STABLE_KEY));
        r.r2 = cache.containsKey(STABLE_KEY) ? 1 : 0;
    }
}
