package dev.ferrite.engine.core;

import dev.ferrite.engine.CacheConfig;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Statistics keep one set of cells per thread; a thread that has ended must not keep its set (heap,
 * and time summing it) for the life of the store, nor take its counts with it. Found by review: a
 * pool churning through 20,000 short-lived threads left 20,000 sets behind.
 */
class CountersTest
{
    @Test
    void shouldFoldTheCountsOfEndedThreadsAndDropTheirCells() throws Exception
    {
        try (Store store = new Store(new CacheConfig().capacityBytes(4 << 20).evictionEnabled(false)))
        {
            final int threads = 2_000;
            for (int i = 0; i < threads; i++)
            {
                final int id = i;
                final Thread thread = new Thread(() ->
                {
                    final UnsafeBuffer key = new UnsafeBuffer(("key-" + id).getBytes());
                    assertTrue(store.put(key, 0, key.capacity(), key, 0, key.capacity(), 0, Store.PUT_ALWAYS, 0, null) > 0);
                });
                thread.start();
                thread.join();
            }
            assertTrue(store.counters.registeredThreads() <= 2,
                "cells of ended threads kept: " + store.counters.registeredThreads());
            assertEquals(threads, store.stats().puts(), "the ended threads' counts are kept");
            assertEquals(threads, store.entryCount());
        }
    }
}
