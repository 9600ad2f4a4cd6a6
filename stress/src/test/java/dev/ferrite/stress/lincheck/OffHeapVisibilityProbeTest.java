package dev.ferrite.stress.lincheck;

import org.agrona.concurrent.UnsafeBuffer;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Lincheck 3.7's model checker can see of off-heap memory, established rather than assumed.
 * Each probe is a counter with a lost-update race (read, then write back plus one) that a checker
 * switching threads between the read and the write must catch.
 *
 * <ul>
 *   <li>On a heap field: caught (the control).</li>
 *   <li>Through an Agrona {@link UnsafeBuffer} over native memory, with
 *   {@link AgronaGuarantees#agronaCallsAreAtomicSwitchPoints()}: caught. The engine touches
 *   off-heap memory only through such calls, so its off-heap races are in reach of
 *   {@link FerriteCacheLincheckTest}'s model checking, at buffer-call granularity.</li>
 *   <li>The same buffer without the guarantee, and raw {@code sun.misc.Unsafe} on a native address:
 *   the checker itself fails with an internal error (it assumes an object and an offset), so
 *   without the guarantee nothing off-heap can be model checked at all.</li>
 * </ul>
 * The last two pin down tool limitations: if a Lincheck upgrade lifts them these tests fail, and
 * stress/README.md's note on model checking should be updated with them.
 */
class OffHeapVisibilityProbeTest
{
    @Test
    void modelCheckingCatchesARaceOnAHeapField()
    {
        assertCaught(HeapCounter.class);
    }

    @Test
    void modelCheckingCatchesARaceThroughAnAgronaBufferWhenAgronaCallsAreSwitchPoints()
    {
        assertCaught(BufferCounter.class);
    }

    @Test
    void modelCheckingCrashesOnAgronaBuffersWithoutTheGuarantee()
    {
        assertLincheckInternalError(BufferCounter.class, "SHOULD_BOUNDS_CHECK");
    }

    @Test
    void modelCheckingCrashesOnRawAddressUnsafe()
    {
        assertLincheckInternalError(RawAddressCounter.class, "Expected at least 2 arguments");
    }

    private static void assertLincheckInternalError(final Class<?> counter, final String cause)
    {
        final AssertionError failure = assertThrows(AssertionError.class, () -> new ModelCheckingOptions()
            .iterations(2).invocationsPerIteration(50).threads(2).actorsPerThread(1).actorsBefore(0).actorsAfter(1)
            .check(counter));
        assertTrue(failure.getMessage().contains("caught a bug in Lincheck") && failure.getMessage().contains(cause),
            failure::getMessage);
    }

    private static void assertCaught(final Class<?> counter)
    {
        final AssertionError failure = assertThrows(AssertionError.class, () -> options().check(counter));
        assertTrue(failure.getMessage().contains("Invalid execution results"), failure::getMessage);
    }

    private static ModelCheckingOptions options()
    {
        return new ModelCheckingOptions()
            .iterations(20)
            .invocationsPerIteration(200)
            .threads(2)
            .actorsPerThread(1)
            .actorsBefore(0)
            .actorsAfter(1)
            .addGuarantee(AgronaGuarantees.agronaCallsAreAtomicSwitchPoints());
    }

    public static class HeapCounter
    {
        private long value;

        @Operation
        public long increment()
        {
            final long read = value;
            value = read + 1;
            return read;
        }

        @Operation
        public long get()
        {
            return value;
        }
    }

    public static class BufferCounter
    {
        private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(8));

        @Operation
        public long increment()
        {
            final long read = buffer.getLong(0);
            buffer.putLong(0, read + 1);
            return read;
        }

        @Operation
        public long get()
        {
            return buffer.getLong(0);
        }
    }

    public static class RawAddressCounter
    {
        private static final sun.misc.Unsafe UNSAFE;

        static
        {
            try
            {
                final java.lang.reflect.Field field = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
                field.setAccessible(true);
                UNSAFE = (sun.misc.Unsafe)field.get(null);
            }
            catch (final ReflectiveOperationException e)
            {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final long address = UNSAFE.allocateMemory(8);

        {
            UNSAFE.putLong(address, 0L);
        }

        @Operation
        public long increment()
        {
            final long read = UNSAFE.getLong(address);
            UNSAFE.putLong(address, read + 1);
            return read;
        }

        @Operation
        public long get()
        {
            return UNSAFE.getLong(address);
        }
    }
}
