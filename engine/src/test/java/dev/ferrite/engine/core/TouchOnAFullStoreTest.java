package dev.ferrite.engine.core;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.Status;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A touch copies its record to the tail after allocating room for the copy, and on a store too full
 * to hold the record twice (eviction off) that allocation reclaims a whole lap, moving the record
 * itself, so the copy is abandoned: every retry did the same, for ever, on one thread with no
 * contention (found by review). A write must succeed or answer FULL.
 */
class TouchOnAFullStoreTest
{
    @Test
    void shouldAnswerATouchOfALargeRecordOnANearlyFullStore() throws Exception
    {
        // Not closed on a timeout: close waits for operations in flight, and the touch would be one.
        final Store store = new Store(new CacheConfig().capacityBytes(65536).segmentBytes(4096)
            .indexSlots(1216).maxValueLength(4096).evictionEnabled(false)); // the fewest segments allowed
        {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[4096]);
            for (int i = 0; i < 4; i++)
            {
                assertTrue(put(store, key, "big" + i, value, 4000) > 0);
            }
            for (int i = 0; i < 4; i++)
            {
                assertTrue(put(store, key, "small" + i, value, 1000) > 0);
            }
            put(store, key, "small0", value, 50);
            put(store, key, "small0", value, 50);
            final int keyLength = key.putStringWithoutLengthAscii(0, "big0");
            final long touched = touchOnADaemonThread(store, key, keyLength);
            assertTrue(touched > 0 || touched == Status.FULL, "touch answered " + Status.describe(touched));

            // Whatever it answered, nothing was lost.
            final UnsafeBuffer destination = new UnsafeBuffer(new byte[4096]);
            for (int i = 0; i < 4; i++)
            {
                final int length = key.putStringWithoutLengthAscii(0, "big" + i);
                assertEquals(4000, store.get(key, 0, length, destination, 0, null), "big" + i);
            }
            final int small0 = key.putStringWithoutLengthAscii(0, "small0");
            assertEquals(50, store.get(key, 0, small0, destination, 0, null));
        }
        store.close();
    }

    /** On a daemon thread, so that a touch that never returns fails the test instead of keeping the JVM alive. */
    private static long touchOnADaemonThread(final Store store, final UnsafeBuffer key, final int keyLength) throws Exception
    {
        final java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newSingleThreadExecutor(task ->
        {
            final Thread thread = new Thread(task, "touch");
            thread.setDaemon(true);
            return thread;
        });
        try
        {
            return executor.submit(() -> store.touch(key, 0, keyLength, 0)).get(20, java.util.concurrent.TimeUnit.SECONDS);
        }
        catch (final java.util.concurrent.TimeoutException e)
        {
            return fail("touch did not return within 20 s");
        }
        finally
        {
            executor.shutdown();
        }
    }

    private static long put(final Store store, final UnsafeBuffer key, final String name, final UnsafeBuffer value, final int length)
    {
        final int keyLength = key.putStringWithoutLengthAscii(0, name);
        return store.put(key, 0, keyLength, value, 0, length, 0, Store.PUT_ALWAYS, 0, null);
    }
}
