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
 * put(B) racing remove on a key that holds A. Both serial orders are allowed and nothing else:
 * remove-then-put removes A's version and leaves B; put-then-remove removes B's version and leaves
 * nothing. A remove that reports a version but leaves B behind, or one that misses, means the two
 * CASes on the slot did not serialize.
 *
 * <p>r1: which version remove returned (1 = A's, 2 = B's, 0 = miss, -1 = other); r2: the final value.
 */
@JCStressTest
@Description("put racing remove on a present key ends as one of the two serial orders")
@Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "remove, then put: A removed, B present")
@Outcome(id = "2, 0", expect = ACCEPTABLE, desc = "put, then remove: B removed, key absent")
@Outcome(expect = FORBIDDEN, desc = "No serial order explains this")
@State
public class PutRemoveRaceTest
{
    private final FerriteCache cache = StressCaches.exact();
    private final byte[] key = Keys.next("put-remove:");
    private final long versionA = Writes.put(cache, key, Values.A);
    private long versionB;
    private long removed;

    @Actor
    public void putter()
    {
        versionB = Writes.put(cache, key, Values.B);
    }

    @Actor
    public void remover()
    {
        removed = cache.remove(key);
    }

    @Arbiter
    public void check(final II_Result r)
    {
        r.r1 = removed == versionA ? 1 : removed == versionB ? 2 : removed < 0 ? 0 : -1;
        r.r2 = Values.classify(cache.get(key));
        cache.remove(key);
    }
}
