package dev.ferrite.stress.jcstress;

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
 * Two removes race on a present key: exactly one removes it (and reports A's version), the other
 * misses, and the key is gone.
 *
 * <p>r1, r2: 1 = removed A's version, 0 = miss, -1 = other; r3: the final value.
 */
@JCStressTest
@Description("remove racing remove: exactly one removes the entry")
@Outcome(id = "1, 0, 0", expect = ACCEPTABLE, desc = "First actor removed it")
@Outcome(id = "0, 1, 0", expect = ACCEPTABLE, desc = "Second actor removed it")
@Outcome(expect = FORBIDDEN, desc = "Both or neither removed it, or it survived")
@State
public class RemoveRemoveRaceTest
{
    private final FerriteCache cache = StressCaches.exact();
    private final byte[] key = Keys.next("remove-remove:");
    private final long versionA = Writes.put(cache, key, Values.A);
    private long firstResult;
    private long secondResult;

    @Actor
    public void first()
    {
        firstResult = cache.remove(key);
    }

    @Actor
    public void second()
    {
        secondResult = cache.remove(key);
    }

    @Arbiter
    public void check(final III_Result r)
    {
        r.r1 = code(firstResult);
        r.r2 = code(secondResult);
        r.r3 = Values.classify(cache.get(key));
    }

    private int code(final long result)
    {
        return result == versionA ? 1 : result < 0 ? 0 : -1;
    }
}
