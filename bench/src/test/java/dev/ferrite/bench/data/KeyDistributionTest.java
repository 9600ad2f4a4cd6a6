package dev.ferrite.bench.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyDistributionTest
{
    @Test
    void shouldPutExactlyThePutShareOfOperationsInTheMask()
    {
        final boolean[] mask = KeyDistribution.putMask(10, 1 << 12, 1);
        int puts = 0;
        for (final boolean put : mask)
        {
            puts += put ? 1 : 0;
        }
        assertEquals((1 << 12) / 10, puts);
    }

    @Test
    void shouldConcentrateZipfianAccessesOnFewKeys()
    {
        final int keys = 100_000;
        final int[] zipfian = KeyDistribution.ZIPFIAN.keyIndexes(keys, 1 << 18, 3);
        final int[] counts = new int[keys];
        for (final int index : zipfian)
        {
            counts[index]++;
        }
        Arrays.sort(counts);
        long top = 0;
        for (int i = keys - keys / 100; i < keys; i++)
        {
            top += counts[i];
        }
        // With theta 0.99 over 100 K keys the most popular 1% draw about 55% of accesses; uniform would give 1%.
        final double share = (double)top / zipfian.length;
        assertTrue(share > 0.45 && share < 0.65, "top 1% share=" + share);
    }

    @Test
    void shouldSpreadUniformAccessesEvenly()
    {
        final int[] uniform = KeyDistribution.UNIFORM.keyIndexes(10, 1 << 16, 5);
        final int[] counts = new int[10];
        for (final int index : uniform)
        {
            counts[index]++;
        }
        for (final int count : counts)
        {
            assertTrue(Math.abs(count - (1 << 16) / 10) < 600, Arrays.toString(counts));
        }
    }

    @Test
    void shouldBuildDistinctKeysFromIndexes()
    {
        assertTrue(!Arrays.equals(Keys.bytes(1), Keys.bytes(2)));
        assertEquals(Keys.KEY_BYTES, Keys.bytes(7).length);
    }
}
