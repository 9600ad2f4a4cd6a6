package dev.ferrite.engine.core;

import java.util.concurrent.atomic.LongAdder;

/**
 * Statistics counters. {@link LongAdder} stripes its cells per thread, so counting never makes
 * writers contend on one cache line; cells are allocated only while contention first grows.
 */
final class Counters
{
    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder puts = new LongAdder();
    final LongAdder removes = new LongAdder();
    final LongAdder evictions = new LongAdder();
    final LongAdder expirations = new LongAdder();
    final LongAdder entries = new LongAdder();
    final LongAdder relocations = new LongAdder();
}
