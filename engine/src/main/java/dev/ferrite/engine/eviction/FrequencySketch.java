package dev.ferrite.engine.eviction;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * A count-min sketch of 4-bit counters, off-heap, estimating how often each key hash was seen
 * recently (TinyLFU's frequency filter, after Caffeine's {@code FrequencySketch}). Each key maps to
 * one 64-bit word (a block of sixteen counters) and to four counters in it, so an estimate costs
 * one cache line.
 *
 * <p>Updates are racy read-modify-writes on purpose: a lost increment only makes an estimate a
 * little low, and avoiding CAS keeps the read path from retrying. Counters saturate at 15, and a
 * key whose counters are all saturated is not written at all, so hot keys stop dirtying shared
 * lines. After {@code 10 * words * 4} increments every counter is halved ("aging"), so the
 * sketch follows a changing workload. Every method is wait-free.
 */
public final class FrequencySketch
{
    private static final long RESET_MASK = 0x7777_7777_7777_7777L;
    private static final int BYTES_PER_WORD = 8;

    private final UnsafeBuffer table;
    private final int wordMask;
    private final long sampleSize;
    private long additions;

    public FrequencySketch(final UnsafeBuffer table)
    {
        this.table = table;
        final int words = table.capacity() / BYTES_PER_WORD;
        this.wordMask = words - 1;
        this.sampleSize = 10L * words * 4;
    }

    /** Bytes for a sketch of about one counter block per four index slots, a power of two. */
    public static long bytesFor(final long indexSlots)
    {
        final long words = Math.max(16, Long.highestOneBit(Math.max(1, indexSlots / 4)));
        return Math.min(1L << 30, words * BYTES_PER_WORD);
    }

    public int frequency(final long hash)
    {
        final int index = (int)(hash >>> 40) & wordMask;
        final long word = table.getLong(index * BYTES_PER_WORD);
        int min = 15;
        for (int i = 0; i < 4; i++)
        {
            final int shift = counterShift(hash, i);
            min = Math.min(min, (int)(word >>> shift) & 0xF);
        }
        return min;
    }

    /** Counts one access; writes nothing when the key's counters are already saturated. */
    public void increment(final long hash)
    {
        final int index = (int)(hash >>> 40) & wordMask;
        final int offset = index * BYTES_PER_WORD;
        final long word = table.getLong(offset);
        long updated = word;
        for (int i = 0; i < 4; i++)
        {
            final int shift = counterShift(hash, i);
            if (((updated >>> shift) & 0xF) != 0xF)
            {
                updated += 1L << shift;
            }
        }
        if (updated != word)
        {
            table.putLong(offset, updated);
            // Plain racy counter: a lost increment only delays aging a little.
            if (++additions >= sampleSize)
            {
                reset();
            }
        }
    }

    private static int counterShift(final long hash, final int i)
    {
        // Four distinct nibbles of the word, chosen by four 4-bit fields of the hash.
        final int nibble = ((int)(hash >>> (i * 8)) & 0x3) | (i << 2);
        return nibble << 2;
    }

    private void reset()
    {
        additions = additions >>> 1;
        for (int offset = 0; offset < table.capacity(); offset += BYTES_PER_WORD)
        {
            table.putLong(offset, (table.getLong(offset) >>> 1) & RESET_MASK);
        }
    }
}
