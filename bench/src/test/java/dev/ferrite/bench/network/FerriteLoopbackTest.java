package dev.ferrite.bench.network;

import dev.ferrite.transport.aeron.IdleStrategies;

import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class FerriteLoopbackTest
{
    @Test
    void shouldTimeGetsThatReturnTheWholeValueAndSetsThatReturnAVersion()
    {
        try (FerriteLoopback ferrite = FerriteLoopback.start(IdleStrategies.BACKOFF, 16, 100))
        {
            // get() and set() throw on a miss, a short value or a failed write: every sample is a real answer.
            final Histogram gets = LatencyRecorder.newHistogram();
            final Histogram sets = LatencyRecorder.newHistogram();
            LatencyRecorder.record(ferrite.get(), TimeUnit.MILLISECONDS.toNanos(200), gets);
            LatencyRecorder.record(ferrite.set(), TimeUnit.MILLISECONDS.toNanos(200), sets);

            assertTrue(gets.getTotalCount() >= 1 && sets.getTotalCount() >= 1, gets.getTotalCount() + " / " + sets.getTotalCount());
        }
    }
}
