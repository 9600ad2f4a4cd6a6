package dev.ferrite.engine.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The keep budget: what a reclaimed segment adds, what a copy pays, and how much carries over. */
class KeepBudgetTest
{
    @Test
    void shouldRefuseCopiesOnceASegmentsShareIsSpent()
    {
        final KeepBudget budget = new KeepBudget(4096, 95, 2);
        assertFalse(budget.take(8), "nothing before a segment is reclaimed");
        budget.addSegment(); // 3,891 bytes
        int copies = 0;
        while (budget.take(256)) // 16 to a segment, no filler: 256 bytes each
        {
            copies++;
        }
        assertTrue(copies == 15, "95% of 4 KiB pays for 15 copies of 256 bytes, not " + copies);
    }

    @Test
    void shouldChargeACopyItsShareOfTheFillerItsLengthLeaves()
    {
        final KeepBudget budget = new KeepBudget(4096, 100, 2);
        budget.addSegment(); // 4,096 bytes
        // Three 1,096-byte records fill 3,288 bytes of a segment: each pays 1,096 + 808 / 3 = 1,365.
        assertTrue(budget.take(1096));
        assertTrue(budget.take(1096));
        assertTrue(budget.take(1096));
        assertFalse(budget.take(8), "the three paid for the whole segment: " + (4096 - 3 * 1365) + " left, an 8-byte copy costs 8");
    }

    @Test
    void shouldCarryAtMostTheLimit()
    {
        final KeepBudget budget = new KeepBudget(4096, 95, 2);
        for (int i = 0; i < 10; i++)
        {
            budget.addSegment();
        }
        int copies = 0;
        while (budget.take(512))
        {
            copies++;
        }
        assertTrue(copies == 16, "two segments' worth (8 KiB) pays for 16 copies of 512 bytes, not " + copies);
    }
}
