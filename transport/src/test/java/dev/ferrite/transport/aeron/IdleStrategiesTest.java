package dev.ferrite.transport.aeron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;

class IdleStrategiesTest
{
    @Test
    void shouldBuildBackoffFromItsFourNumbers()
    {
        final BackoffIdleStrategy strategy = assertInstanceOf(BackoffIdleStrategy.class, IdleStrategies.backoff("3, 2, 1000, 50000"));
        assertTrue(strategy.alias().startsWith("backoff"), strategy.alias());
    }

    @Test
    void shouldParseTheDefaultBackoff()
    {
        assertInstanceOf(BackoffIdleStrategy.class, IdleStrategies.backoff(IdleStrategies.DEFAULT_BACKOFF));
    }

    @Test
    void shouldRejectMalformedBackoffWithTheExpectedForm()
    {
        for (final String bad : new String[] {"1,2,3", "a,1,1000,2000", "1,1,0,1000", "1,1,2000,1000", "-1,1,1000,2000"})
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> IdleStrategies.backoff(bad), bad);
            assertTrue(ex.getMessage().contains("maxSpins,maxYields,minParkNs,maxParkNs"), ex.getMessage());
        }
    }

    @Test
    void shouldRejectAnUnknownName()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> IdleStrategies.create("spinny"));
        assertEquals(true, ex.getMessage().contains(IdleStrategies.BACKOFF), ex.getMessage());
    }
}
