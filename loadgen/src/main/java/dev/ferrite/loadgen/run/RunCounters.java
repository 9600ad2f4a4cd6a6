package dev.ferrite.loadgen.run;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/** Outcomes the histograms do not hold: read hits and misses, errors and the first error seen. */
final class RunCounters
{
    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder errors = new LongAdder();
    final AtomicReference<Throwable> firstError = new AtomicReference<>();

    void error(final Throwable error)
    {
        errors.increment();
        firstError.compareAndSet(null, error);
    }

    void reset()
    {
        hits.reset();
        misses.reset();
        errors.reset();
    }
}
