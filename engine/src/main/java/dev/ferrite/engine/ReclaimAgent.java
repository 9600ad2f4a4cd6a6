package dev.ferrite.engine;

import dev.ferrite.engine.core.ShardedStore;
import dev.ferrite.engine.core.Store;
import org.agrona.concurrent.Agent;

import java.util.concurrent.TimeUnit;

/**
 * Reclaims a cache's oldest segments ahead of need, on a thread of its own, so that writes find
 * room without reclaiming inline: a put then pays for its own record only, not for the copies and
 * evictions that making room costs (at 80% live data, about three copies a put). Writes still
 * reclaim themselves when this agent falls behind or is descheduled, so it is never required for
 * progress; a stalled agent holds up others no more than any reclaim helper does (a finisher waits
 * up to 20 ms for the records it claimed, then settles them without it).
 *
 * <p>It reclaims only what it can: compaction cannot shrink the log below its live data, so when
 * live data leaves less room than asked for and is below the eviction pressure, the agent does
 * nothing and writes reclaim as they would without it.
 *
 * <p>Run it as any Agrona agent: {@link CacheConfig#reclaimAheadSegments(int)} makes the cache
 * start one on a daemon thread of its own (and stop it on close), or take one from
 * {@link FerriteCache#newReclaimAgent(int)} and compose it into an {@code AgentRunner} or
 * {@code AgentInvoker} of your own (one with a busy-spin idle strategy on a dedicated core, on
 * hardware that has one). Stop its runner before closing the cache: an agent that runs on after
 * close does nothing.
 *
 * <p>With several shards ({@link CacheConfig#shards()}) one agent serves them all, in turn, each
 * with its own pauses: a shard where reclaiming gains nothing does not hold up the others.
 *
 * <p>The cost: the {@code aheadSegments} segments it keeps open (in each shard: the cache's own
 * thread gets each shard's share of {@link CacheConfig#reclaimAheadSegments()}) hold no data, so once the cache
 * evicts it holds that much less (for example 2 segments of a 128-segment store: 1.6%). A cache
 * that is never closed keeps its thread, parked up to 1 ms at a time, as long as the JVM runs.
 *
 * <p>Progress: {@link #doWork()} is lock-free and bounded ({@link #MAX_SEGMENTS_PER_DUTY_CYCLE}
 * segments a shard), and allocates nothing.
 */
public final class ReclaimAgent implements Agent
{
    /** Segments one duty cycle reclaims at most, so a runner can still see its stop flag. */
    public static final int MAX_SEGMENTS_PER_DUTY_CYCLE = 4;

    static final long MIN_PAUSE_NS = TimeUnit.MILLISECONDS.toNanos(1);
    static final long MAX_PAUSE_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long NOT_IDLE = -1;

    private final Store[] shards;
    private final int aheadSegments;

    /** Per shard; only the agent's thread reads and writes these. */
    private final long[] pauseNs;
    private final long[] pausedAtNs;
    /** Per shard: its log's write position when reclaiming last gained nothing, or NOT_IDLE. */
    private final long[] idleSincePosition;

    ReclaimAgent(final ShardedStore store, final int aheadSegments)
    {
        if (aheadSegments < 1)
        {
            throw new IllegalArgumentException("aheadSegments=" + aheadSegments + " must be at least 1");
        }
        this.shards = new Store[store.shardCount()];
        for (int i = 0; i < shards.length; i++)
        {
            shards[i] = store.shard(i);
        }
        this.aheadSegments = aheadSegments;
        this.pauseNs = new long[shards.length];
        this.pausedAtNs = new long[shards.length];
        this.idleSincePosition = new long[shards.length];
        java.util.Arrays.fill(idleSincePosition, NOT_IDLE);
    }

    /**
     * @return segments reclaimed over all shards (0 when enough are open, when the cache is closed,
     * or while the agent waits after reclaiming gained nothing).
     */
    @Override
    public int doWork()
    {
        int work = 0;
        RuntimeException failure = null;
        for (int i = 0; i < shards.length; i++)
        {
            try
            {
                work += doWork(i);
            }
            catch (final RuntimeException e)
            {
                // That shard pauses (doWork(int)); the others still get their turn this cycle.
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null)
        {
            throw failure;
        }
        return work;
    }

    private int doWork(final int shard)
    {
        final Store store = shards[shard];
        if (idleSincePosition[shard] != NOT_IDLE)
        {
            if (store.writePosition() == idleSincePosition[shard])
            {
                return 0; // nothing written since reclaiming last gained nothing: nothing new to gain
            }
            idleSincePosition[shard] = NOT_IDLE;
        }
        if (pauseNs[shard] != 0 && System.nanoTime() - pausedAtNs[shard] < pauseNs[shard])
        {
            return 0;
        }
        final int reclaimed;
        try
        {
            reclaimed = store.reclaimAhead(aheadSegments, MAX_SEGMENTS_PER_DUTY_CYCLE);
        }
        catch (final RuntimeException | Error e)
        {
            // An AgentRunner hands the error to its handler and calls doWork again without idling:
            // pause, so an error that recurs cannot spin a core (and flood a log) in a hot loop.
            pause(shard);
            throw e;
        }
        if (reclaimed == Store.RECLAIM_AHEAD_NO_GAIN)
        {
            // The copies took nearly all the room the reclaims freed (records that pack badly, or
            // live data close to what the store holds): copying more would only burn a core. Wait,
            // longer each time in a row; writes that need room still reclaim for themselves.
            pause(shard);
            // And try again only once something was written: on a cache nobody writes to, the same
            // reclaims would gain nothing again, however long the pause.
            idleSincePosition[shard] = store.writePosition();
            return MAX_SEGMENTS_PER_DUTY_CYCLE;
        }
        pauseNs[shard] = 0;
        return reclaimed;
    }

    private void pause(final int shard)
    {
        pauseNs[shard] = Math.min(MAX_PAUSE_NS, Math.max(MIN_PAUSE_NS, pauseNs[shard] * 2));
        pausedAtNs[shard] = System.nanoTime();
    }

    @Override
    public String roleName()
    {
        return FerriteCache.RECLAIM_THREAD_NAME;
    }
}
