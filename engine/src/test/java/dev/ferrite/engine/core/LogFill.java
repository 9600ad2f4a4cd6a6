package dev.ferrite.engine.core;

import org.agrona.concurrent.UnsafeBuffer;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writes for the stall tests: keys {@code "key:" + i}, one value buffer, until the log wraps. */
final class LogFill
{
    private LogFill()
    {
    }

    static void fillUntilTheLogWraps(final Store store, final UnsafeBuffer key, final UnsafeBuffer value, final int keys)
    {
        for (int i = 0; i < keys; i++)
        {
            put(store, key, value, i);
        }
        assertTrue(store.stats().evictions() > 0, "the log wrapped: " + store.stats());
    }

    static long put(final Store store, final UnsafeBuffer key, final UnsafeBuffer value, final int i)
    {
        final int keyLength = key.putStringWithoutLengthAscii(0, "key:" + i);
        return store.put(key, 0, keyLength, value, 0, value.capacity(), 0, Store.PUT_ALWAYS, 0, null);
    }
}
