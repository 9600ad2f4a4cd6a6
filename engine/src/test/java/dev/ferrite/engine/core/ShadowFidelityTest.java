package dev.ferrite.engine.core;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.eviction.KeepPolicyAdvisor;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The advisor's shadows must behave like the log they advise, or they advise for another cache.
 * With fewer than about a thousand index slots every key is sampled and the shadows replay the
 * store's own segments, so the shadow running at the store's keep frequency must see the store's
 * own hits, give or take the moments at which each reads the shared frequency sketch (the store at
 * access time, the shadows when they drain) and the size a missed read is inserted at (the running
 * average). Measured: 1.6% apart here (85,505 against 84,178 hits), where the other shadow is 5.5%
 * away; over twelve random hash seeds 1-4.4%, hence the fixed seed. A shadow without the log's
 * segments was 40 points apart on a loop trace (0.8% against 42.6%).
 */
class ShadowFidelityTest
{
    @Test
    void shouldHitAsTheStoreDoesAtTheSameKeepFrequency()
    {
        // A fixed hash seed: the run is single-threaded, so it repeats exactly.
        final CacheConfig config = new CacheConfig().capacityBytes(320 << 10).segmentBytes(4096).indexSlots(1000)
            .hashSeed(0x5EED_F1DE_117AL);
        try (Store store = new Store(config))
        {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[200]);
            final UnsafeBuffer destination = new UnsafeBuffer(new byte[200]);
            final Random random = new Random(5);
            long hits = 0;
            final int accesses = 300_000;
            for (int i = 0; i < accesses; i++)
            {
                // Skewed towards low keys, over about three times what the store holds, and a third of
                // the reads a scan of keys never read again: keeping frequent keys clearly pays, so the
                // advice stays at its first candidate and the store runs at it throughout.
                final long k = random.nextInt(3) == 0 ? 1_000_000L + i : (long)(Math.pow(random.nextDouble(), 3) * 5_000);
                key.putLong(0, k);
                if (store.get(key, 0, 8, destination, 0, null) >= 0)
                {
                    hits++;
                }
                else
                {
                    assertTrue(store.put(key, 0, 8, value, 0, 200, 0, Store.PUT_ALWAYS, 0, null) > 0);
                }
            }
            store.advisor.drain();
            final int advice = store.advisor.keepFrequency();
            assertEquals(KeepPolicyAdvisor.initialKeepFrequency(), advice,
                "this workload should keep the first frequency advice throughout");
            final long shadowHits = store.advisor.shadowHits(advice);
            final long finalHits = hits;
            final long otherHits = store.advisor.shadowHits(KeepPolicyAdvisor.NEVER);
            assertTrue(Math.abs(shadowHits - hits) <= hits * 3 / 100 && Math.abs(shadowHits - hits) < Math.abs(otherHits - hits),
                () -> "store hits " + finalHits + ", shadow hits " + shadowHits + ", other shadow " +
                    store.advisor.shadowHits(KeepPolicyAdvisor.NEVER));
        }
    }
}
