package dev.ferrite.bench.hitratio;

import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * One access trace, decoded into memory.
 *
 * <ul>
 *   <li>{@code NAME.trace.gz}: gzip text, one decimal key per line; a line {@code *} is a
 *   checkpoint marker and is skipped (the LIRS traces).</li>
 *   <li>{@code NAME.trace.xz}: an xz stream of big-endian 32-bit signed integers (cache2k traces).</li>
 * </ul>
 */
public record Trace(String name, int[] keys)
{
    public static final String GZIP_SUFFIX = ".trace.gz";
    public static final String XZ_SUFFIX = ".trace.xz";

    public static boolean isTrace(final Path file)
    {
        final String name = file.getFileName().toString();
        return name.endsWith(GZIP_SUFFIX) || name.endsWith(XZ_SUFFIX);
    }

    public static String nameOf(final Path file)
    {
        final String name = file.getFileName().toString();
        return name.substring(0, name.length() - (name.endsWith(GZIP_SUFFIX) ? GZIP_SUFFIX : XZ_SUFFIX).length());
    }

    public static Trace read(final Path file) throws IOException
    {
        final String fileName = file.getFileName().toString();
        if (fileName.endsWith(GZIP_SUFFIX))
        {
            return new Trace(nameOf(file), readText(file));
        }
        if (fileName.endsWith(XZ_SUFFIX))
        {
            return new Trace(nameOf(file), readInt32(file));
        }
        throw new IllegalArgumentException("file=" + file + " is neither *" + GZIP_SUFFIX + " nor *" + XZ_SUFFIX);
    }

    private static int[] readText(final Path file) throws IOException
    {
        IntList keys = new IntList();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
            new GZIPInputStream(Files.newInputStream(file), 1 << 16), StandardCharsets.US_ASCII)))
        {
            String line;
            int lineNumber = 0;
            while ((line = reader.readLine()) != null)
            {
                lineNumber++;
                final String trimmed = line.trim();
                if (trimmed.isEmpty() || trimmed.equals("*"))
                {
                    continue;
                }
                try
                {
                    keys.add(Integer.parseInt(trimmed));
                }
                catch (final NumberFormatException e)
                {
                    throw new IOException(file + ":" + lineNumber + ": not a decimal key: " + trimmed, e);
                }
            }
        }
        return keys.toArray();
    }

    private static int[] readInt32(final Path file) throws IOException
    {
        IntList keys = new IntList();
        try (InputStream raw = new XZInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16)))
        {
            while (true)
            {
                try
                {
                    keys.add(in.readInt());
                }
                catch (final EOFException end)
                {
                    return keys.toArray();
                }
            }
        }
    }

    public int uniqueKeys()
    {
        return (int)Arrays.stream(keys).distinct().count();
    }

    /** A growable int array, to decode millions of keys without boxing. */
    private static final class IntList
    {
        private int[] values = new int[1 << 16];
        private int size;

        void add(final int value)
        {
            if (size == values.length)
            {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        int[] toArray()
        {
            return Arrays.copyOf(values, size);
        }
    }
}
