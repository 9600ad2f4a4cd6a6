package dev.ferrite.stress.defects;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.FerriteCache;
import dev.ferrite.engine.Status;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Regression test for engine defect 1, now fixed (found by jcstress {@code RelocationReadTest}): with eviction off, an operation on
 * a live key whose record sits in the segment being reclaimed can behave as if the key were
 * absent: get and containsKey miss, and remove answers MISS (a conditional remove with a wrong
 * version answers MISS instead of VERSION_MISMATCH).
 *
 * <p>Suspected cause, in {@code Store.findKeyFrom}: the record is validated by re-reading its
 * segment's state and requiring it unchanged. Reclaim first moves the state from OPEN(L) to
 * RECLAIMING(L) (same logical segment, memory intact) and only later copies the live record
 * forward and swings the index slot. A walk that straddles the OPEN to RECLAIMING change sees a
 * changed state while the slot head is still the same, and returns "not found" (0) instead of
 * trusting the still-valid record or restarting.
 *
 * <p>Each test runs a churner that keeps overwriting filler keys in the smallest cache (eviction
 * off), so the log laps every ~50 writes and relocates the stable key each lap, while the test
 * thread operates on the stable key.
 */
class ReclaimRaceDefectTest
{
    private static final long RUN_NANOS = 3_000_000_000L;
    private static final byte[] STABLE_KEY = "stable".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STABLE_VALUE = filled((byte)1, 64);

    @Test
    void shouldNeverMissALiveKeyWhileCompactionRelocatesIt() throws Exception
    {
        try (FerriteCache cache = FerriteCache.create(tinyCompactingConfig()))
        {
            cache.put(STABLE_KEY, STABLE_VALUE);
            final long misses = whileChurning(cache, () ->
            {
                long missCount = 0;
                final long deadline = System.nanoTime() + RUN_NANOS;
                while (System.nanoTime() < deadline)
                {
                    if (cache.get(STABLE_KEY) == null)
                    {
                        missCount++;
                    }
                }
                return missCount;
            });
            assertEquals(0, misses, "gets that missed a live, never-removed key during relocation");
            assertEquals(STABLE_VALUE.length, cache.get(STABLE_KEY).length);
        }
    }

    @Test
    void shouldNeverReportMissForALiveKeyInAConditionalRemoveWhileCompactionRelocatesIt() throws Exception
    {
        try (FerriteCache cache = FerriteCache.create(tinyCompactingConfig()))
        {
            final long version = cache.put(STABLE_KEY, STABLE_VALUE);
            final UnsafeBuffer key = new UnsafeBuffer(STABLE_KEY);
            final long misses = whileChurning(cache, () ->
            {
                long missCount = 0;
                final long deadline = System.nanoTime() + RUN_NANOS;
                while (System.nanoTime() < deadline)
                {
                    // A wrong expected version leaves the key in place: the answer must be VERSION_MISMATCH.
                    final long result = cache.remove(key, 0, STABLE_KEY.length, version + 1);
                    if (result == Status.MISS)
                    {
                        missCount++;
                    }
                }
                return missCount;
            });
            assertEquals(0, misses, "conditional removes that reported MISS for a present key during relocation");
            assertEquals(version, cache.remove(STABLE_KEY));
        }
    }

    static CacheConfig tinyCompactingConfig()
    {
        return new CacheConfig()
            .capacityBytes((long)CacheConfig.MIN_SEGMENTS * CacheConfig.MIN_SEGMENT_BYTES * 2)
            .segmentBytes(CacheConfig.MIN_SEGMENT_BYTES)
            .maxValueLength(2048)
            .evictionEnabled(false);
    }

    /** Runs {@code body} on this thread while another thread overwrites four 1 KiB filler keys. */
    static long whileChurning(final FerriteCache cache, final java.util.function.LongSupplier body) throws Exception
    {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<Throwable> churnFailure = new AtomicReference<>();
        final Thread churner = new Thread(() ->
        {
            final byte[] filler = filled((byte)0x7F, 1024);
            final byte[][] keys = new byte[4][];
            for (int i = 0; i < keys.length; i++)
            {
                keys[i] = ("filler" + i).getBytes(StandardCharsets.US_ASCII);
            }
            try
            {
                for (int i = 0; !stop.get(); i++)
                {
                    putRetryingFull(cache, keys[i & 3], filler);
                }
            }
            catch (final Throwable t)
            {
                churnFailure.set(t);
            }
        }, "churner");
        churner.start();
        try
        {
            return body.getAsLong();
        }
        finally
        {
            stop.set(true);
            churner.join();
            assertNull(churnFailure.get(), () -> "churner failed: " + churnFailure.get());
        }
    }

    /**
     * Puts, retrying {@link Status#FULL}: by design a writer that another writer's stall keeps out of
     * the oldest segment fails fast with FULL even with eviction off, and in a 14-segment cache a
     * lap is only ~50 writes, so a descheduled writer causes it often. That is not the defect here.
     */
    static void putRetryingFull(final FerriteCache cache, final byte[] key, final byte[] value)
    {
        final UnsafeBuffer keyBuffer = new UnsafeBuffer(key);
        final UnsafeBuffer valueBuffer = new UnsafeBuffer(value);
        while (true)
        {
            final long result = cache.put(keyBuffer, 0, key.length, valueBuffer, 0, value.length, 0);
            if (result > 0)
            {
                return;
            }
            if (result != Status.FULL)
            {
                throw new IllegalStateException("put failed: " + Status.describe(result));
            }
            Thread.yield();
        }
    }

    static byte[] filled(final byte b, final int length)
    {
        final byte[] value = new byte[length];
        Arrays.fill(value, b);
        return value;
    }
}
