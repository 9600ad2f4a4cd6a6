package dev.ferrite.loadgen.run;

import dev.ferrite.loadgen.keys.KeyFormat;
import dev.ferrite.loadgen.workload.Workload;

/**
 * How a run loads its target.
 *
 * @param workload          operation mix and key distribution.
 * @param keys              key and value sizes.
 * @param records           records loaded before the run (and the key space reads pick from).
 * @param requesters        concurrent requesters (threads, one connection or session each).
 * @param pipelineDepth     requests each requester keeps in flight (1 = strict request/response).
 * @param warmupSeconds     run this long first and throw the numbers away (JIT, connections, caches).
 * @param durationSeconds   then measure this long.
 * @param targetOpsPerSecond 0 for a closed loop (each requester issues as soon as an answer comes
 *                          back); above 0 for an open loop at that total rate, latency measured from
 *                          when each request was due (corrected for coordinated omission).
 * @param seed              makes key and operation choices repeatable.
 */
public record RunConfig(
    Workload workload,
    KeyFormat keys,
    long records,
    int requesters,
    int pipelineDepth,
    int warmupSeconds,
    int durationSeconds,
    long targetOpsPerSecond,
    long seed)
{
    /** Open-loop requests in flight per requester before the issuer waits (its delay still counts). */
    public static final int OPEN_LOOP_MAX_IN_FLIGHT = 4096;

    public RunConfig
    {
        if (records < 1)
        {
            throw new IllegalArgumentException("records must be >= 1: " + records);
        }
        if (requesters < 1 || pipelineDepth < 1)
        {
            throw new IllegalArgumentException("requesters and pipelineDepth must be >= 1: " + requesters + ", " + pipelineDepth);
        }
        if (warmupSeconds < 0 || durationSeconds < 1)
        {
            throw new IllegalArgumentException("need warmupSeconds >= 0 and durationSeconds >= 1: " + warmupSeconds + ", " + durationSeconds);
        }
        if (targetOpsPerSecond < 0)
        {
            throw new IllegalArgumentException("targetOpsPerSecond must be >= 0: " + targetOpsPerSecond);
        }
    }

    public boolean openLoop()
    {
        return targetOpsPerSecond > 0;
    }

    public String describeMode()
    {
        return openLoop() ?
            "open loop at " + targetOpsPerSecond + " ops/s, " + requesters + " requesters" :
            "closed loop, " + requesters + " requesters x " + pipelineDepth + " in flight";
    }
}
