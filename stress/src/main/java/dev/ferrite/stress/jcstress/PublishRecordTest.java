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
 * Safe publication of a new record: the writer fills the record, then links it with one CAS on
 * the index slot. A reader racing the put sees nothing or all of it, with the version the put
 * returned, never a record whose bytes or header are not yet written.
 *
 * <p>r1: what the reader saw ({@link Values} codes); r2: 1 when the reader's version is the
 * writer's (or the reader missed), else 0.
 */
@JCStressTest
@Description("A get racing the first put of a key sees a miss or the whole value, with its version")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "Get ran before the put was linked: miss")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "Get ran after the put was linked: the whole value, the put's version")
@Outcome(expect = FORBIDDEN, desc = "Torn or partial value, or a version the put did not return")
@State
public class PublishRecordTest
{
    private final FerriteCache cache = StressCaches.exact();
    private final byte[] key = Keys.next("publish:");
    private final EntryMeta readerMeta = new EntryMeta();
    private long writerVersion;
    private int readerSaw;

    @Actor
    public void writer()
    {
        writerVersion = Writes.put(cache, key, Values.A);
    }

    @Actor
    public void reader()
    {
        readerSaw = Values.classify(cache.get(key, readerMeta));
    }

    @Arbiter
    public void check(final II_Result r)
    {
        r.r1 = readerSaw;
        r.r2 = readerSaw == Values.MISS || readerMeta.version() == writerVersion ? 1 : 0;
        cache.remove(key);
    }
}
