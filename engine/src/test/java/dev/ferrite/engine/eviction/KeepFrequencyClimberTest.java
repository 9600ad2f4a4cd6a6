package dev.ferrite.engine.eviction;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class KeepFrequencyClimberTest
{
    private static final int SAMPLE = 10_000;

    /** Feeds one complete sample with this many hits; returns the running totals after it. */
    private static void sample(final KeepFrequencyClimber climber, final long[] totals, final int hits)
    {
        totals[0] += hits;
        totals[1] += SAMPLE - hits;
        climber.onReclaim(totals[0], totals[1]);
    }

    /** A climber whose first sample starts at totals of zero. */
    private static KeepFrequencyClimber newClimber()
    {
        final KeepFrequencyClimber climber = new KeepFrequencyClimber(SAMPLE);
        climber.onReclaim(0, 0);
        return climber;
    }

    @Test
    void shouldStartKeepingKeysUsedTwice()
    {
        final KeepFrequencyClimber climber = new KeepFrequencyClimber(SAMPLE);
        assertEquals(KeepFrequencyClimber.START_LEVEL, climber.level());
        assertEquals(2, climber.keepFrequency());
    }

    @Test
    void shouldNotStepBeforeASampleIsComplete()
    {
        final KeepFrequencyClimber climber = newClimber();
        climber.onReclaim(SAMPLE / 2, SAMPLE / 2 - 1);
        assertEquals(KeepFrequencyClimber.START_LEVEL, climber.level());
        climber.onReclaim(SAMPLE / 2, SAMPLE / 2);
        assertEquals(KeepFrequencyClimber.START_LEVEL + 1, climber.level(), "first step goes towards keeping more");
        assertEquals(0, climber.keepFrequency());
    }

    @Test
    void shouldClimbTowardsPureClockWhileKeepingLessPays()
    {
        final KeepFrequencyClimber climber = newClimber();
        final long[] totals = new long[2];
        sample(climber, totals, 5_000);     // up to the top level
        sample(climber, totals, 4_000);     // worse: turn back
        assertEquals(KeepFrequencyClimber.START_LEVEL, climber.level());
        for (int i = 1; i <= KeepFrequencyClimber.START_LEVEL; i++)
        {
            sample(climber, totals, 4_000 + i * 100); // better each time: keep going
        }
        assertEquals(0, climber.level());
        assertTrue(climber.keepFrequency() > 15, "level 0 never keeps by frequency: pure CLOCK");
    }

    @Test
    void shouldBounceOffTheEndsOfTheRange()
    {
        final KeepFrequencyClimber climber = newClimber();
        final long[] totals = new long[2];
        for (int i = 0; i < KeepFrequencyClimber.MAX_LEVEL + 3; i++)
        {
            sample(climber, totals, 1_000 + i * 100); // always better: up to the top, then turns
        }
        assertTrue(climber.level() < KeepFrequencyClimber.MAX_LEVEL, "level " + climber.level());
        assertTrue(climber.level() >= 0);
    }

    @Test
    void shouldStepAcrossCounterWrapAt32Bits()
    {
        final KeepFrequencyClimber climber = new KeepFrequencyClimber(SAMPLE);
        final long[] totals = {(1L << 32) - 3_000, 5};
        climber.onReclaim(totals[0], totals[1]); // the first call only starts a sample, from any totals
        assertEquals(KeepFrequencyClimber.START_LEVEL, climber.level());
        sample(climber, totals, 5_000);
        assertEquals(KeepFrequencyClimber.START_LEVEL + 1, climber.level(), "a complete sample across the wrap steps once");
    }

    @Test
    void shouldIgnoreTotalsThatGoBackwards()
    {
        final KeepFrequencyClimber climber = newClimber();
        final long[] totals = new long[2];
        sample(climber, totals, 1_000);
        climber.onReclaim(totals[0] - 10, totals[1]); // a racy sum read low: not a sample
        assertEquals(KeepFrequencyClimber.START_LEVEL + 1, climber.level());
    }
}
