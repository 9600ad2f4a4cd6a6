package dev.ferrite.stress.defects;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.FerriteCache;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Regression test for engine defect 4, now fixed (found by the randomized model test): touch sometimes returns another key's
 * version. It returns {@code context.foundVersion} after {@code Reclaimer.copyRecord}, but the
 * copy's allocation may help reclaim the oldest segment, and reclaim walks chains with the same
 * per-thread {@code OperationContext}, overwriting the found fields. The copy itself is right
 * (its header was read before the allocation); only the reported version is wrong.
 *
 * <p>Single threaded and deterministic: the smallest cache, eviction off, and a loop of touches
 * over 40 keys whose versions are known, so that touch allocations cross segment boundaries and
 * trigger compaction.
 */
class TouchVersionDefectTest
{
    @Test
    void shouldReturnTheTouchedKeysOwnVersionEvenWhenTouchTriggersReclaim()
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(1_000);
        try (FerriteCache cache = FerriteCache.create(ReclaimRaceDefectTest.tinyCompactingConfig().clock(clock)))
        {
            final List<byte[]> keys = new ArrayList<>();
            final List<Long> versions = new ArrayList<>();
            for (int i = 0; i < 40; i++)
            {
                final byte[] key = ("key" + i).getBytes(StandardCharsets.US_ASCII);
                keys.add(key);
                clock.advance(1); // distinct versions (millis << 20), so a borrowed one shows
                versions.add(cache.put(key, new byte[100]));
            }
            for (int i = 0; i < 5_000; i++)
            {
                final int k = i % keys.size();
                final long reported = cache.touch(keys.get(k), 0);
                assertEquals((long)versions.get(k), reported, "touch #" + i + " of key" + k + " reported a version not its own");
            }
        }
    }
}
