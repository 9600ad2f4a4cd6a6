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
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * put(A) racing remove on an absent key: remove either misses (it ran first, A stays) or removes
 * exactly the version put returned (A is gone).
 *
 * <p>r1: remove's result (0 = miss, 1 = A's version, -1 = other); r2: the final value.
 */
@JCStressTest
@Description("put racing remove on an absent key ends as one of the two serial orders")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "remove, then put: remove missed, A present")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "put, then remove: A removed, key absent")
@Outcome(expect = FORBIDDEN, desc = "No serial order explains this")
@State
public class PutRemoveAbsentRaceTest
{
    private final FerriteCache cache = StressCaches.exact();
    private final byte[] key = Keys.next("put-remove-absent:");
    private long versionA;
    private long removed;

    @Actor
    public void putter()
    {
        versionA = Writes.put(cache, key, Values.A);
    }

    @Actor
    public void remover()
    {
        removed = cache.remove(key);
    }

    @Arbiter
    public void check(final II_Result r)
    {
        r.r1 = removed < 0 ? 0 : removed == versionA ? 1 : -1;
        r.r2 = Values.classify(cache.get(key));
        cache.remove(key);
    }
}
