package dev.ferrite.bench.peers;

import dev.ferrite.bench.hitratio.FerritePolicy;
import dev.ferrite.engine.CacheConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FerriteSizingTest
{
    @Test
    void shouldGiveTheLogTheSegmentsForNRecordsPlusTheReservedOnes()
    {
        final CacheConfig config = FerriteSizing.config(1700, 8, 8, 1.0, 4096, 1700);
        assertEquals(48, FerriteSizing.recordBytes(8, 8));
        assertEquals(85, FerriteSizing.recordsPerSegment(4096, 48));
        assertEquals(20 + CacheConfig.RESERVED_SEGMENTS, config.segmentCount());
        assertTrue(config.allocatedBytes() <= config.capacityBytes());
    }

    @Test
    void shouldHoldAboutNRecordsWhenFull()
    {
        for (final int size : new int[] {100, 500, 5000})
        {
            try (FerritePolicy policy = new FerritePolicy(size, 64, -1))
            {
                for (int key = 0; key < size * 3; key++)
                {
                    policy.access(key);
                }
                final long held = policy.size();
                assertTrue(held >= size * 0.95 && held <= size * 1.05, "N=" + size + " held=" + held);
                assertEquals(0, policy.failedPuts());
            }
        }
    }

    @Test
    void shouldFillA4KiBSegmentWithAboutNOver64Records()
    {
        final int valueBytes = FerritePolicy.valueBytesFor(6400, 64);
        final int perSegment = FerriteSizing.recordsPerSegment(4096, FerriteSizing.recordBytes(8, valueBytes));
        assertTrue(perSegment >= 85 || Math.abs(perSegment - 100) <= 15, "records per segment=" + perSegment);
        assertEquals(1, FerriteSizing.recordsPerSegment(4096, FerriteSizing.recordBytes(8, FerritePolicy.valueBytesFor(10, 64))));
    }
}
