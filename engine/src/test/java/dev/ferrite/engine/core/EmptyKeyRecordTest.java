package dev.ferrite.engine.core;

import dev.ferrite.engine.CacheConfig;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An empty key with an empty value makes a record whose first word would be all zeros (key length
 * 0, routing slot CRC16("") = 0, value length 0, no flags). Segment walks once read a zero first word
 * as the end of the segment, so every record behind such a record was never reclaimed: with eviction
 * off, compaction lost them. Here the empty record sits among others while the log wraps many times.
 */
class EmptyKeyRecordTest
{
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldKeepEveryRecordBehindAnEmptyKeyWithAnEmptyValue(final boolean evictionEnabled)
    {
        final int keys = 200;
        try (Store store = new Store(new CacheConfig().capacityBytes(128 << 10).segmentBytes(4096).evictionEnabled(evictionEnabled)))
        {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[100]);
            final UnsafeBuffer read = new UnsafeBuffer(new byte[100]);
            // Written once and never replaced: it stays unflagged, and is relocated lap after lap.
            assertEquals(true, store.put(key, 0, 0, value, 0, 0, 0, Store.PUT_ALWAYS, 0, null) > 0);
            for (int round = 0; round < 100; round++)
            {
                for (int i = 0; i < keys; i++)
                {
                    final int keyLength = key.putStringWithoutLengthAscii(0, "key:" + i);
                    value.putInt(0, round * keys + i);
                    assertEquals(true, store.put(key, 0, keyLength, value, 0, value.capacity(), 0, Store.PUT_ALWAYS, 0, null) > 0);
                }
            }
            if (!evictionEnabled)
            {
                for (int i = 0; i < keys; i++)
                {
                    final int keyLength = key.putStringWithoutLengthAscii(0, "key:" + i);
                    assertEquals(100, store.get(key, 0, keyLength, read, 0, null), "key " + i + " lost");
                    assertEquals(99 * keys + i, read.getInt(0), "key " + i + " holds its last value");
                }
                assertEquals(0, store.get(key, 0, 0, read, 0, null), "the empty key holds its empty value");
            }
            final long exact = ExactEntryCount.of(store);
            final long counted = store.entryCount();
            assertEquals(true, counted <= exact && counted >= exact - 8, "entries=" + counted + " but " + exact + " are reachable");
        }
    }
}
