package dev.ferrite.engine.core;

import dev.ferrite.engine.CacheConfig;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fence is a tombstone of a key never looked up in the slot it is linked into: the empty key, or
 * in the empty key's own slot a one-byte key homed elsewhere. So fences in every slot, again and
 * again, must leave every key readable, the empty and one-byte keys included (the ones a fence
 * could shadow if it were homed wrong), change no statistic, show nothing to a scan, and be
 * dropped as garbage by the walks that meet them. Small stores, where those keys crowd few slots.
 * (From a review's probe.)
 */
class LinkFencesTest
{
    @ParameterizedTest
    @CsvSource({"2, true", "2, false", "3, true", "3, false", "64, true", "64, false"})
    void shouldLeaveEveryKeyAloneWhereverFencesGo(final long indexSlots, final boolean evictionEnabled)
    {
        try (Store store = new Store(new CacheConfig().capacityBytes(128 << 10).segmentBytes(4096)
            .indexSlots(indexSlots).evictionEnabled(evictionEnabled)))
        {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[1]);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[8]);
            value.putLong(0, 1_000);
            assertTrue(store.put(key, 0, 0, value, 0, 8, 0, Store.PUT_ALWAYS, 0, null) > 0);
            for (int b = 0; b < 256; b++)
            {
                key.putByte(0, (byte)b);
                value.putLong(0, b);
                assertTrue(store.put(key, 0, 1, value, 0, 8, 0, Store.PUT_ALWAYS, 0, null) > 0);
            }
            final long entries = store.entryCount();
            final long liveBytes = store.liveBytes();

            final int registrySlot = store.registry.claim(5);
            try
            {
                for (int round = 0; round < 3; round++)
                {
                    for (int slot = 0; slot < indexSlots; slot++)
                    {
                        store.reclaimer.linkFences().fenceSlot(registrySlot, slot, Long.MAX_VALUE);
                    }
                }
            }
            finally
            {
                store.registry.release(registrySlot);
            }

            assertShortKeysRead(store, key);
            assertEquals(entries, store.entryCount(), "fences are no entries");
            assertEquals(liveBytes, store.liveBytes(), "fences are not live data");
            final long[] scanned = {0};
            store.scan(0, indexSlots, -1, (k, ko, kl, v, vo, vl, version, expiresAt) ->
            {
                scanned[0]++;
                return true;
            });
            assertEquals(257, scanned[0], "a scan shows the keys, not the fences");

            // Laps of the log: every walk meets the fences and must drop them.
            final UnsafeBuffer other = new UnsafeBuffer(new byte[16]);
            final UnsafeBuffer big = new UnsafeBuffer(new byte[64]);
            for (int i = 0; i < 20_000; i++)
            {
                final int length = other.putStringWithoutLengthAscii(0, "x" + (i % 300));
                assertTrue(store.put(other, 0, length, big, 0, big.capacity(), 0, Store.PUT_ALWAYS, 0, null) > 0);
            }
            if (!evictionEnabled)
            {
                assertShortKeysRead(store, key);
                assertTrue(store.reclaimer.garbageBytes() >= 0 && store.reclaimer.garbageBytes() <= store.log.bytesInUse(),
                    "garbage estimate " + store.reclaimer.garbageBytes() + " against " + store.log.bytesInUse() + " in use");
            }
        }
    }

    private static void assertShortKeysRead(final Store store, final UnsafeBuffer key)
    {
        final UnsafeBuffer read = new UnsafeBuffer(new byte[8]);
        assertEquals(8, store.get(key, 0, 0, read, 0, null), "the empty key");
        assertEquals(1_000, read.getLong(0));
        for (int b = 0; b < 256; b++)
        {
            key.putByte(0, (byte)b);
            assertEquals(8, store.get(key, 0, 1, read, 0, null), "one-byte key " + b);
            assertEquals(b, read.getLong(0));
        }
    }
}
