package dev.ferrite.stress.lincheck;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of FerriteCache's map operations against {@link MapSpecification}, in both of
 * Lincheck's modes. Effort scales with {@code -Dferrite.stress.lincheckScale} (1 in CI).
 *
 * <p>What each mode can see: the stress mode runs the scenarios on real threads, so it exercises
 * every race, off-heap ones included, but only those the scheduler happens to produce. The model
 * checker explores interleavings systematically, but only switches threads at the shared-memory
 * accesses it instruments: with {@link AgronaGuarantees} every Agrona buffer call, so every
 * off-heap load, store and CAS of the engine, is one (see {@link OffHeapVisibilityProbeTest}).
 */
class FerriteCacheLincheckTest
{
    private static final int SCALE = Integer.getInteger("ferrite.stress.lincheckScale", 1);

    @Test
    void shouldBeLinearizableUnderModelChecking()
    {
        new ModelCheckingOptions()
            .iterations(6 * SCALE)
            .invocationsPerIteration(300 * SCALE)
            .threads(2)
            .actorsPerThread(3)
            .actorsBefore(2)
            .actorsAfter(1)
            .sequentialSpecification(MapSpecification.class)
            .addGuarantee(AgronaGuarantees.agronaCallsAreAtomicSwitchPoints())
            .check(CacheMapOperations.class);
    }

    @Test
    void shouldBeLinearizableUnderStress()
    {
        new StressOptions()
            .iterations(5 * SCALE)
            .invocationsPerIteration(400 * SCALE)
            .threads(2)
            .actorsPerThread(3)
            .actorsBefore(2)
            .actorsAfter(1)
            .sequentialSpecification(MapSpecification.class)
            .check(CacheMapOperations.class);
    }
}
