package dev.ferrite.bench.network;

import dev.ferrite.transport.aeron.IdleStrategies;

import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RawAeronPingPongTest
{
    @Test
    void shouldRecordOneSampleForEveryAnsweredRoundTripOfEitherSize()
    {
        try (RawAeronPingPong pingPong = RawAeronPingPong.start(IdleStrategies.BACKOFF, 256))
        {
            final Histogram histogram = LatencyRecorder.newHistogram();
            final long warmed = LatencyRecorder.warmUp(pingPong.roundTrip(37, 145), TimeUnit.MILLISECONDS.toNanos(100));
            LatencyRecorder.record(pingPong.roundTrip(158, 45), TimeUnit.MILLISECONDS.toNanos(200), histogram);

            assertTrue(warmed >= 1, "warm-up ran " + warmed);
            assertTrue(histogram.getTotalCount() >= 1, "no samples");
            // Loopback round trips on any machine fit well within the 5 s answer timeout.
            assertTrue(histogram.getMaxValue() < TimeUnit.SECONDS.toNanos(5), "max " + histogram.getMaxValue());
        }
    }

    @Test
    void shouldHandAnswersToTheCallerThroughThePollerThreadInHandOffMode()
    {
        try (RawAeronPingPong pingPong = RawAeronPingPong.startWithPollerHandOff(IdleStrategies.BACKOFF, 256))
        {
            final Histogram histogram = LatencyRecorder.newHistogram();
            // call() throws on a missing or mismatched answer, so every sample is a real hand-off.
            LatencyRecorder.record(pingPong.roundTrip(37, 145), TimeUnit.MILLISECONDS.toNanos(200), histogram);

            assertTrue(histogram.getTotalCount() >= 1, "no samples");
        }
    }

    @Test
    void shouldRefuseSizesTheEchoCannotCarry()
    {
        try (RawAeronPingPong pingPong = RawAeronPingPong.start(IdleStrategies.BACKOFF, 64))
        {
            assertThrows(IllegalArgumentException.class, () -> pingPong.roundTrip(11, 45));
            assertThrows(IllegalArgumentException.class, () -> pingPong.roundTrip(37, 65));
            assertThrows(IllegalArgumentException.class, () -> pingPong.roundTrip(37, 7));
        }
    }
}
