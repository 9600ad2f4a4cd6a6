package dev.ferrite.engine.eviction;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class FrequencyKeepClimberTest
{
    private static final int SAMPLE = 10_000;

    /** Feeds one complete sample with this many hits; returns the running totals after it. */
    private static long[] sample(final FrequencyKeepClimber climber, final long[] totals, final int hits)
    {
        totals[0] += hits;
        totals[1] += SAMPLE - hits;
        climber.onReclaim(totals[0], totals[1]);
        return totals;
    }

    /** A climber whose first sample starts at totals of zero. */
    private static FrequencyKeepClimber newClimber()
    {
        final FrequencyKeepClimber climber = new FrequencyKeepClimber(SAMPLE);
        climber.onReclaim(0, 0);
        return climber;
    }

    @Test
    void shouldStartAsPureClock()
    {
        final FrequencyKeepClimber climber = new FrequencyKeepClimber(SAMPLE);
        assertEquals(0, climber.level());
        assertEquals(Integer.MAX_VALUE, climber.keepFrequency());
        assertEquals(0, climber.keepPercent());
    }

    @Test
    void shouldNotStepBeforeASampleIsComplete()
    {
        final FrequencyKeepClimber climber = newClimber();
        climber.onReclaim(SAMPLE / 2, SAMPLE / 2 - 1);
        assertEquals(0, climber.level());
        climber.onReclaim(SAMPLE / 2, SAMPLE / 2);
        assertEquals(1, climber.level());
    }

    @Test
    void shouldKeepClimbingWhileTheHitRatioRisesAndTurnBackWhenItFalls()
    {
        final FrequencyKeepClimber climber = newClimber();
        final long[] totals = new long[2];
        sample(climber, totals, 1_000);
        assertEquals(1, climber.level());
        sample(climber, totals, 2_000);
        sample(climber, totals, 3_000);
        assertEquals(3, climber.level());
        assertTrue(climber.keepFrequency() < Integer.MAX_VALUE && climber.keepPercent() > 0);
        sample(climber, totals, 2_500); // worse: back down
        assertEquals(2, climber.level());
        sample(climber, totals, 2_600); // better again: keep going down
        assertEquals(1, climber.level());
    }

    @Test
    void shouldBounceOffTheEndsOfTheRange()
    {
        final FrequencyKeepClimber climber = newClimber();
        final long[] totals = new long[2];
        for (int i = 0; i < FrequencyKeepClimber.MAX_LEVEL + 3; i++)
        {
            sample(climber, totals, 1_000 + i * 100); // always better: climbs to the top, then turns
        }
        assertTrue(climber.level() < FrequencyKeepClimber.MAX_LEVEL, "level " + climber.level());
        assertTrue(climber.level() >= 0);
    }

    @Test
    void shouldStepAcrossCounterWrapAt32Bits()
    {
        final FrequencyKeepClimber climber = new FrequencyKeepClimber(SAMPLE);
        final long[] totals = {(1L << 32) - 3_000, 5};
        climber.onReclaim(totals[0], totals[1]); // the first call only starts a sample, from any totals
        assertEquals(0, climber.level());
        sample(climber, totals, 5_000);
        assertEquals(1, climber.level(), "a complete sample across the wrap steps once");
    }

    @Test
    void shouldIgnoreTotalsThatGoBackwards()
    {
        final FrequencyKeepClimber climber = newClimber();
        final long[] totals = new long[2];
        sample(climber, totals, 1_000);
        climber.onReclaim(totals[0] - 10, totals[1]); // a racy sum read low: not a sample
        assertEquals(1, climber.level());
    }
}
