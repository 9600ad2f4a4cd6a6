package dev.ferrite.stress.jcstress;

import dev.ferrite.engine.FerriteCache;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Reads racing reclaim in the smallest cache with eviction on (14 segments of 4 KiB). The writer
 * puts A, writes a 1 KiB one-hit filler record under a fresh key (so every few calls the log
 * reclaims its oldest segment, relocating or evicting what it holds, including other states'
 * keys that readers are reading), then overwrites with B. The reader may see A, B or a miss
 * (evicted), but never bytes of reused memory; and once B was written, A must never come back:
 * evicting or relocating the newest record must not resurrect an older version.
 *
 * <p>r1: what the reader saw; r2: the value after the whole epoch (B, or a miss once evicted).
 */
@JCStressTest
@Description("Gets racing eviction and relocation in a tiny cache see a whole value or a miss, never a resurrected one")
@Outcome(id = "0, 0", expect = ACCEPTABLE_INTERESTING, desc = "Read missed (before A, or A evicted); B evicted later")
@Outcome(id = "0, 2", expect = ACCEPTABLE, desc = "Read missed (before A, or A evicted); B still present")
@Outcome(id = "1, 0", expect = ACCEPTABLE_INTERESTING, desc = "Read saw A whole; B evicted later")
@Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "Read saw A whole; B still present")
@Outcome(id = "2, 0", expect = ACCEPTABLE_INTERESTING, desc = "Read saw B whole; B evicted later")
@Outcome(id = "2, 2", expect = ACCEPTABLE, desc = "Read saw B whole; B still present")
@Outcome(expect = FORBIDDEN, desc = "Garbage read, or the older value A resurrected after B")
@State
public class EvictionReadTest
{
    private static final byte[] FILLER = Values.filled((byte)0x7F, 1024);

    private final FerriteCache cache = StressCaches.tinyEvicting();
    private final byte[] key = Keys.next("evict:");
    private final byte[] fillerKey = Keys.next("evict-filler:");
    private int readerSaw;

    @Actor
    public void writer()
    {
        Writes.put(cache, key, Values.A);
        Writes.put(cache, fillerKey, FILLER);
        Writes.put(cache, key, Values.B);
    }

    @Actor
    public void reader()
    {
        readerSaw = Values.classify(cache.get(key));
    }

    @Arbiter
    public void check(final II_Result r)
    {
        r.r1 = readerSaw;
        r.r2 = Values.classify(cache.get(key));
    }
}
