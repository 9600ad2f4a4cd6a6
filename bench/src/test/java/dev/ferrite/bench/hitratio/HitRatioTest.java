package dev.ferrite.bench.hitratio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

import java.io.DataOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class HitRatioTest
{
    @TempDir
    Path directory;

    @Test
    void shouldReadGzipTextSkippingCheckpointMarkers() throws Exception
    {
        final Path file = directory.resolve("tiny.trace.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file)))
        {
            out.write("1\n2\n*\n3\n\n-4\n".getBytes(StandardCharsets.US_ASCII));
        }
        final Trace trace = Trace.read(file);
        assertEquals("tiny", trace.name());
        assertArrayEquals(new int[] {1, 2, 3, -4}, trace.keys());
    }

    @Test
    void shouldReadXzBigEndianInts() throws Exception
    {
        final Path file = directory.resolve("tiny.trace.xz");
        try (DataOutputStream out = new DataOutputStream(new XZOutputStream(Files.newOutputStream(file), new LZMA2Options())))
        {
            out.writeInt(7);
            out.writeInt(-1);
            out.writeInt(0x01020304);
        }
        assertArrayEquals(new int[] {7, -1, 0x01020304}, Trace.read(file).keys());
    }

    @Test
    void shouldCountLruHitsExactly()
    {
        // N=2: 1 miss, 2 miss, 1 hit, 3 miss (evicts 2), 2 miss (evicts 1), 3 hit.
        assertEquals(2.0 / 6, HitRatioMain.hitRatio(new LruPolicy(2), new int[] {1, 2, 1, 3, 2, 3}), 1e-12);
    }

    @Test
    void shouldHitEveryRepeatWhenTheCacheHoldsTheWholeTrace()
    {
        final int[] keys = {1, 2, 3, 1, 2, 3, 1, 2, 3};
        assertEquals(6.0 / 9, HitRatioMain.hitRatio(new CaffeinePolicy(100), keys), 1e-12);
        try (FerritePolicy ferrite = new FerritePolicy(100, 64, -1))
        {
            assertEquals(6.0 / 9, HitRatioMain.hitRatio(ferrite, keys), 1e-12);
        }
    }

    @Test
    void shouldRoundTripRowsThroughTsv()
    {
        final List<HitRatioMain.Row> rows = List.of(new HitRatioMain.Row("loop", 1000, true, 10, 0.5, 0.75, 0.25, 999, 4096, 8, 0));
        final Path file = directory.resolve("hitratio.tsv");
        HitRatioMain.writeTsv(file, rows);
        assertEquals(rows, assertDoesNotThrowRead(file));
    }

    private static List<HitRatioMain.Row> assertDoesNotThrowRead(final Path file)
    {
        try
        {
            return HitRatioMain.readTsv(file);
        }
        catch (final java.io.IOException e)
        {
            throw new AssertionError(e);
        }
    }
}
