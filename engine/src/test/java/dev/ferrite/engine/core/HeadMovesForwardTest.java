package dev.ferrite.engine.core;

import dev.ferrite.engine.CacheConfig;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An index slot's head only ever moves to a newer address. Every linker (put, remove's tombstone,
 * relocation) CASes the head against the value it loaded before it prepared its record, possibly
 * a lap of the log earlier if it was descheduled; that is safe only if the value can never come
 * back. A remove that swung the head back to the record below (it did, for a key's only version)
 * let a relocation stalled with that older head link a copy of a version since overwritten and
 * removed: the key came back from the dead (the stalled-threads model test in {@code stress} found
 * it). Here: put, overwrite, remove and put again, with eviction on and off; the head must strictly
 * increase at every step.
 */
class HeadMovesForwardTest
{
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void shouldOnlyEverMoveTheHeadToANewerAddress(final boolean evictionEnabled)
    {
        try (Store store = new Store(new CacheConfig().capacityBytes(1 << 20).evictionEnabled(evictionEnabled)))
        {
            final byte[] name = "only-version".getBytes(StandardCharsets.US_ASCII);
            final UnsafeBuffer key = new UnsafeBuffer(name);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[32]);
            final int slot = store.index.slotFor(store.hash(key, 0, name.length));

            long head = store.index.headAcquire(slot);
            assertEquals(0, head, "a fresh store's slot is empty");
            head = assertMovedForward(store, slot, head, "put into the empty slot",
                store.put(key, 0, name.length, value, 0, value.capacity(), 0, Store.PUT_ALWAYS, 0, null));
            head = assertMovedForward(store, slot, head, "remove of the key's only version",
                store.remove(key, 0, name.length, 0));
            head = assertMovedForward(store, slot, head, "put after the remove",
                store.put(key, 0, name.length, value, 0, value.capacity(), 0, Store.PUT_ALWAYS, 0, null));
            head = assertMovedForward(store, slot, head, "overwrite",
                store.put(key, 0, name.length, value, 0, value.capacity(), 0, Store.PUT_ALWAYS, 0, null));
            assertMovedForward(store, slot, head, "remove of the overwritten key", store.remove(key, 0, name.length, 0));
        }
    }

    private static long assertMovedForward(final Store store, final int slot, final long before, final String step, final long result)
    {
        assertTrue(result > 0, step + " succeeded: " + result);
        final long after = store.index.headAcquire(slot);
        assertTrue(after > before, step + " moved the head from " + before + " to " + after + ": not forward");
        return after;
    }
}
