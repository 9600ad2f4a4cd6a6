package dev.ferrite.loadgen;

import dev.ferrite.loadgen.keys.InsertCounter;
import dev.ferrite.loadgen.keys.KeyChooser;
import dev.ferrite.loadgen.keys.KeyDistribution;
import dev.ferrite.loadgen.keys.KeyFormat;
import dev.ferrite.loadgen.workload.Operation;
import dev.ferrite.loadgen.workload.Workload;
import dev.ferrite.loadgen.workload.WorkloadPresets;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class KeysAndWorkloadTest
{
    @Test
    void shouldFormatReadableFixedLengthUniqueKeys()
    {
        final KeyFormat format = new KeyFormat(16, 100);
        assertEquals("user:00000000042", new String(format.key(42), StandardCharsets.US_ASCII));
        final Set<String> seen = new HashSet<>();
        for (long i = 0; i < 10_000; i++)
        {
            final byte[] key = format.key(i * 7919);
            assertEquals(16, key.length);
            assertTrue(seen.add(new String(key, StandardCharsets.US_ASCII)));
        }
        assertEquals(100, format.value(3).length);
        assertFalse(java.util.Arrays.equals(format.value(3), format.value(4)));
        assertThrows(IllegalArgumentException.class, () -> new KeyFormat(8, 100));
        assertThrows(IllegalArgumentException.class, () -> new KeyFormat(16, 0));
    }

    @Test
    void shouldSpreadUniformKeysEvenly()
    {
        final int records = 100;
        final KeyChooser chooser = KeyDistribution.UNIFORM.source(new InsertCounter(records)).chooser(1);
        final int[] counts = new int[records];
        for (int i = 0; i < 200_000; i++)
        {
            counts[(int)chooser.nextIndex()]++;
        }
        for (final int count : counts)
        {
            assertTrue(count > 1600 && count < 2400, "expected about 2000 per key, got " + count);
        }
    }

    @Test
    void shouldConcentrateZipfianKeysOnAFewScatteredRecords()
    {
        final int records = 10_000;
        final KeyChooser chooser = KeyDistribution.ZIPFIAN.source(new InsertCounter(records)).chooser(7);
        final int[] counts = new int[records];
        final int draws = 500_000;
        for (int i = 0; i < draws; i++)
        {
            final long index = chooser.nextIndex();
            assertTrue(index >= 0 && index < records);
            counts[(int)index]++;
        }
        final int[] sorted = counts.clone();
        java.util.Arrays.sort(sorted);
        long top100 = 0;
        for (int i = records - 100; i < records; i++)
        {
            top100 += sorted[i];
        }
        // θ = 0.99 over 10,000 records: the top 1% take about half of all accesses (H(100)/H(10000)).
        final double share = (double)top100 / draws;
        assertTrue(share > 0.40 && share < 0.65, "top 1% share " + share);
        // Scrambled: the most popular record is not simply record 0.
        int hottest = 0;
        for (int i = 1; i < records; i++)
        {
            hottest = counts[i] > counts[hottest] ? i : hottest;
        }
        assertNotEquals(0, hottest);
    }

    @Test
    void shouldFavourTheNewestRecordsWithLatest()
    {
        final InsertCounter records = new InsertCounter(1000);
        final KeyChooser chooser = KeyDistribution.LATEST.source(records).chooser(3);
        for (int i = 0; i < 500; i++)
        {
            records.nextInsertIndex();
        }
        int newest = 0;
        int oldHalf = 0;
        for (int i = 0; i < 100_000; i++)
        {
            final long index = chooser.nextIndex();
            assertTrue(index >= 0 && index < 1500);
            newest += index == 1499 ? 1 : 0;
            oldHalf += index < 750 ? 1 : 0;
        }
        assertTrue(newest > 5_000, "the newest record should be the most popular: " + newest);
        assertTrue(oldHalf < newest, "older records should be rare: " + oldHalf);
    }

    @Test
    void shouldDrawOperationsInThePresetShares()
    {
        final Workload a = WorkloadPresets.preset("a");
        final Map<Operation, Integer> counts = new EnumMap<>(Operation.class);
        final SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 100_000; i++)
        {
            counts.merge(a.next(random), 1, Integer::sum);
        }
        assertEquals(2, counts.size());
        assertTrue(Math.abs(counts.get(Operation.READ) - 50_000) < 1500, counts.toString());
        assertEquals(KeyDistribution.LATEST, WorkloadPresets.preset("D").distribution());
        assertEquals(50, WorkloadPresets.preset("F").readModifyWritePercent());
        assertEquals(100, WorkloadPresets.preset("C").readPercent());
        assertThrows(IllegalArgumentException.class, () -> WorkloadPresets.preset("E"));
        assertThrows(IllegalArgumentException.class, () -> new Workload("bad", 50, 40, 0, 0, KeyDistribution.UNIFORM));
        assertThrows(IllegalArgumentException.class, () -> KeyDistribution.parse("gaussian"));
    }
}
