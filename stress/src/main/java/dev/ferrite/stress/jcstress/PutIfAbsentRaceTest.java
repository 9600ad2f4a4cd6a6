package dev.ferrite.stress.jcstress;

import dev.ferrite.engine.FerriteCache;
import dev.ferrite.engine.Status;
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
 * Two putIfAbsent calls race on an absent key: exactly one wins, the other gets EXISTS, and the
 * key holds the winner's value.
 *
 * <p>r1, r2: 1 = won (a version), 0 = EXISTS, -1 = anything else; r3: the final value.
 */
@JCStressTest
@Description("putIfAbsent racing putIfAbsent: exactly one wins and its value stays")
@Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "First actor won: A stored")
@Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "Second actor won: B stored")
@Outcome(expect = FORBIDDEN, desc = "Both won, neither won, or the loser's value stored")
@State
public class PutIfAbsentRaceTest
{
    private final FerriteCache cache = StressCaches.exact();
    private final byte[] key = Keys.next("put-if-absent:");

    @Actor
    public void first(final III_Result r)
    {
        r.r1 = code(cache.putIfAbsent(key, Values.A, 0));
    }

    @Actor
    public void second(final III_Result r)
    {
        r.r2 = code(cache.putIfAbsent(key, Values.B, 0));
    }

    @Arbiter
    public void check(final III_Result r)
    {
        r.r3 = Values.classify(cache.get(key));
        cache.remove(key);
    }

    private static int code(final long result)
    {
        return result > 0 ? 1 : result == Status.EXISTS ? 0 : -1;
    }
}
