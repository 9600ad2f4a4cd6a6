package dev.ferrite.stress.jcstress;

import dev.ferrite.engine.EntryMeta;
import dev.ferrite.engine.FerriteCache;
import dev.ferrite.engine.Status;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two compareAndSet calls with the same expected version (A's) race: exactly one wins, the other
 * gets VERSION_MISMATCH, and the key holds the winner's value with the version the winner got.
 *
 * <p>r1, r2: 1 = won, 0 = VERSION_MISMATCH, -1 = other; r3: the final value; r4: 1 when the final
 * version is the winner's.
 */
@JCStressTest
@Description("compareAndSet racing compareAndSet with the same expected version: exactly one wins")
@Outcome(id = "1, 0, 2, 1", expect = ACCEPTABLE, desc = "First actor won: B stored with its version")
@Outcome(id = "0, 1, 3, 1", expect = ACCEPTABLE, desc = "Second actor won: C stored with its version")
@Outcome(expect = FORBIDDEN, desc = "Both or neither won, or the stored value or version is not the winner's")
@State
public class CompareAndSetRaceTest
{
    private final FerriteCache cache = StressCaches.exact();
    private final byte[] key = Keys.next("cas:");
    private final long versionA = Writes.put(cache, key, Values.A);
    private long firstResult;
    private long secondResult;

    @Actor
    public void first()
    {
        firstResult = cache.compareAndSet(key, Values.B, 0, versionA);
    }

    @Actor
    public void second()
    {
        secondResult = cache.compareAndSet(key, Values.C, 0, versionA);
    }

    @Arbiter
    public void check(final IIII_Result r)
    {
        r.r1 = code(firstResult);
        r.r2 = code(secondResult);
        final EntryMeta meta = new EntryMeta();
        r.r3 = Values.classify(cache.get(key, meta));
        final long winnerVersion = firstResult > 0 ? firstResult : secondResult;
        r.r4 = meta.version() == winnerVersion ? 1 : 0;
        cache.remove(key);
    }

    private static int code(final long result)
    {
        return result > 0 ? 1 : result == Status.VERSION_MISMATCH ? 0 : -1;
    }
}
