package dev.ferrite.engine.core;

/**
 * Per-thread scratch for one store: what the last chain walk found, the thread's statistics
 * cells and reclaim's tallies, so that no operation allocates.
 */
final class OperationContext
{
    final int homeSlot;
    /** This thread's statistics cells in its store's {@link Counters}. */
    final java.util.concurrent.atomic.AtomicLongArray counters;

    // Fields of the record the last walk matched, read while its segment was current.
    long foundAddress;
    long foundLengthsWord;
    long foundPrevious;
    long foundVersion;
    long foundExpiresAtMillis;

    /** Records what a walk (or reclaim's check without one) matched. */
    void found(final long address, final long lengthsWord, final long previous, final long version, final long expiresAtMillis)
    {
        foundAddress = address;
        foundLengthsWord = lengthsWord;
        foundPrevious = previous;
        foundVersion = version;
        foundExpiresAtMillis = expiresAtMillis;
    }

    /** Reclaim's running totals and settings for one segment: see the TALLY_ slots of {@link Reclaimer}. */
    final long[] reclaimTally = new long[Reclaimer.TALLY_LENGTH];
    /** Offsets and first words of the records a reclaim helper claimed with one cursor CAS. */
    final int[] claimedOffsets = new int[Reclaimer.CLAIM_BATCH];
    final long[] claimedWords = new long[Reclaimer.CLAIM_BATCH];
    /** Key hashes of the claimed records, computed while warming the batch (ClaimedBatchWarmer). */
    final long[] claimedHashes = new long[Reclaimer.CLAIM_BATCH];
    /** Where the warmer folds the values it loads, so the loads are not optimized away. */
    long warmSink;
    /** True while this thread reclaims ahead of writes (Store.reclaimAhead): its copies then tally their cost. */
    boolean reclaimingAhead;
    /** True while this helper counts as settling for the batch it processes (Reclaimer.settle). */
    boolean batchSettlingHeld;
    /** Room at the tail this thread hands its batch's relocated copies from. */
    final RelocationRun relocationRun = new RelocationRun();
    /** This thread's sketch additions not yet added to the sketch's shared count (FrequencySketch#countAdditions). */
    int sketchAdditions;

    OperationContext(final Counters storeCounters)
    {
        this.counters = storeCounters.register();
        // Spread threads over the registry: consecutive threads get homes a cache line apart.
        this.homeSlot = (int)(Thread.currentThread().getId() * 0x9E3779B9L >>> 8);
    }
}
