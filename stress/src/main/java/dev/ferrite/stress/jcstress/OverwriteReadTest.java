package dev.ferrite.stress.jcstress;

import dev.ferrite.engine.EntryMeta;
import dev.ferrite.engine.FerriteCache;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A read racing an overwrite of the same key: 64 bytes of 0x01 replaced by 64 bytes of 0x02. The
 * reader sees one whole value with that value's own version; never a mix, never a miss (the key is
 * present throughout and nothing is evicted).
 *
 * <p>r1: what the reader saw; r2: 1 when the reader's version belongs to the value it saw;
 * r3: the value after both actors (always B).
 */
@JCStressTest
@Description("A get racing an overwrite sees the old or the new value whole, with its version")
@Outcome(id = "1, 1, 2", expect = ACCEPTABLE, desc = "Get linearized before the overwrite: old value A")
@Outcome(id = "2, 1, 2", expect = ACCEPTABLE, desc = "Get linearized after the overwrite: new value B")
@Outcome(expect = FORBIDDEN, desc = "Miss, torn value, mismatched version, or a lost overwrite")
@State
public class OverwriteReadTest
{
    private final FerriteCache cache = StressCaches.exact();
    private final byte[] key = Keys.next("overwrite:");
    private final long versionA = Writes.put(cache, key, Values.A);
    private final EntryMeta readerMeta = new EntryMeta();
    private long versionB;
    private int readerSaw;

    @Actor
    public void writer()
    {
        versionB = Writes.put(cache, key, Values.B);
    }

    @Actor
    public void reader()
    {
        readerSaw = Values.classify(cache.get(key, readerMeta));
    }

    @Arbiter
    public void check(final III_Result r)
    {
        r.r1 = readerSaw;
        final long expectedVersion = readerSaw == Values.SAW_A ? versionA : readerSaw == Values.SAW_B ? versionB : -1;
        r.r2 = readerMeta.version() == expectedVersion ? 1 : 0;
        r.r3 = Values.classify(cache.get(key));
        cache.remove(key);
    }
}
