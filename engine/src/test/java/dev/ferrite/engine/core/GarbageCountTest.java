package dev.ferrite.engine.core;

import dev.ferrite.engine.CacheConfig;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With eviction off, compaction runs only while the garbage estimate is positive. A put over a
 * tombstone counted the tombstone as garbage a second time (its remove had counted it when linking
 * it), and once removes always wrote tombstones the estimate grew without bound: 8 MB against 215 KB
 * in use after these cycles, so a write refused on a full store first compacted the whole log, up to
 * thousands of relocations per refusal (found by review).
 */
class GarbageCountTest
{
    @Test
    void shouldNotCountATombstoneTwiceWhenItsKeyIsWrittenAgain()
    {
        try (Store store = new Store(new CacheConfig().capacityBytes(256 << 10).segmentBytes(4096).evictionEnabled(false)))
        {
            final UnsafeBuffer value = new UnsafeBuffer(new byte[32]);
            for (int i = 0; i < 200_000; i++)
            {
                final byte[] name = ("k" + (i % 50)).getBytes(StandardCharsets.US_ASCII);
                final UnsafeBuffer key = new UnsafeBuffer(name);
                assertTrue(store.put(key, 0, name.length, value, 0, value.capacity(), 0, Store.PUT_ALWAYS, 0, null) > 0);
                assertTrue(store.remove(key, 0, name.length, 0) > 0);
            }
            assertTrue(store.reclaimer.garbageBytes() <= store.log.bytesInUse(),
                "garbage estimate " + store.reclaimer.garbageBytes() + " above the bytes in use " + store.log.bytesInUse());
        }
    }
}
