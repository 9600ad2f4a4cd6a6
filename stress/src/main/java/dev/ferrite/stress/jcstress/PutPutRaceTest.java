package dev.ferrite.stress.jcstress;

import dev.ferrite.engine.EntryMeta;
import dev.ferrite.engine.FerriteCache;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two unconditional puts race on a present key. Versions grow per key, so the put linearized last
 * has the larger version, and that put's value is the one that stays.
 *
 * <p>r1: the final value (2 = B, 3 = C); r2: 1 when the final value belongs to the put with the
 * larger version and carries that version, and the two versions differ and exceed A's.
 */
@JCStressTest
@Description("put racing put: the value with the larger version stays")
@Outcome(id = "2, 1", expect = ACCEPTABLE, desc = "B's put linearized last")
@Outcome(id = "3, 1", expect = ACCEPTABLE, desc = "C's put linearized last")
@Outcome(expect = FORBIDDEN, desc = "The last writer's value lost, versions not increasing, or garbage")
@State
public class PutPutRaceTest
{
    private final FerriteCache cache = StressCaches.exact();
    private final byte[] key = Keys.next("put-put:");
    private final long versionA = Writes.put(cache, key, Values.A);
    private long versionB;
    private long versionC;

    @Actor
    public void first()
    {
        versionB = Writes.put(cache, key, Values.B);
    }

    @Actor
    public void second()
    {
        versionC = Writes.put(cache, key, Values.C);
    }

    @Arbiter
    public void check(final II_Result r)
    {
        final EntryMeta meta = new EntryMeta();
        r.r1 = Values.classify(cache.get(key, meta));
        final boolean bLast = versionB > versionC;
        final int expected = bLast ? Values.SAW_B : Values.SAW_C;
        final long lastVersion = Math.max(versionB, versionC);
        final boolean ordered = versionB != versionC && Math.min(versionB, versionC) > versionA;
        r.r2 = ordered && r.r1 == expected && meta.version() == lastVersion ? 1 : 0;
        cache.remove(key);
    }
}
