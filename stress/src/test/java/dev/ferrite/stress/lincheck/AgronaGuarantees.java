package dev.ferrite.stress.lincheck;

import kotlin.jvm.functions.Function1;
import org.jetbrains.lincheck.datastructures.ManagedStrategyGuarantee;

import static org.jetbrains.lincheck.datastructures.ManagedStrategyGuaranteeKt.forClasses;

/**
 * How Lincheck's model checker must treat Agrona. Instrumenting Agrona's buffers crashes Lincheck
 * 3.7 ("Class 'org.agrona.AbstractMutableDirectBuffer' does not have field 'SHOULD_BOUNDS_CHECK'":
 * it resolves a constant inherited from an interface as a class field). Treating every Agrona
 * method as atomic avoids that and, better, makes each buffer access (getLong, putLongRelease,
 * compareAndSetLong, ...) a switch point: the engine reaches off-heap memory only through those
 * calls, so the checker interleaves threads at every off-heap load, store and CAS, which raw
 * {@code Unsafe} accesses on an address would not give it.
 */
final class AgronaGuarantees
{
    private static final Function1<String, Boolean> AGRONA = className -> className.startsWith("org.agrona.");

    private AgronaGuarantees()
    {
    }

    static ManagedStrategyGuarantee agronaCallsAreAtomicSwitchPoints()
    {
        return forClasses(AGRONA).allMethods().treatAsAtomic();
    }
}
