package dev.ferrite.engine.eviction;

import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A count-min sketch of 4-bit counters, off-heap, estimating how often each key hash was seen
 * recently (TinyLFU's frequency filter, after Caffeine's {@code FrequencySketch}). Each key maps to
 * one 64-bit word (a block of sixteen counters) and to four counters in it, so an estimate costs
 * one cache line.
 *
 * <pre>
 *   word (one per index slot, a power of two):  16 counters of 4 bits
 *   bit 63                                                          bit 0
 *   +----+----+----+----+----+----+----+----+----+----+----+----+----+----+----+----+
 *   | 15 | 14 | 13 | 12 | 11 | 10 |  9 |  8 |  7 |  6 |  5 |  4 |  3 |  2 |  1 |  0 |
 *   +----+----+----+----+----+----+----+----+----+----+----+----+----+----+----+----+
 *    '---- group 3 ----' '---- group 2 ----' '---- group 1 ----' '---- group 0 ----'
 *   a key's i-th counter is one of the four in group i, picked by two bits of its hash
 * </pre>
 *
 * <h2>Size and aging</h2>
 * Half a word to one word per index slot (the slot count rounded down to a power of two; Caffeine
 * rounds its entry count up), and every counter is halved after {@code 10 * words} counted
 * increments ("aging"), so the sketch follows a changing workload. The width matters for the hit
 * ratio: a quarter of this saturated on small caches (nearly every key read 15 times, so the
 * frequency gate could not tell keys apart) and cost up to 4.2 points a row on the traces in
 * {@code shared/traces} (bench module, {@code HitRatioMain}; numbers in {@code Reclaimer}).
 *
 * <p>Aging is incremental: once the count is reached, one thread starts a sweep (a CAS), and each
 * following increment that writes claims the next {@link #SWEEP_WORDS} words (one cache line, one
 * atomic add) and halves them, until the sweep has covered the table. A whole-table pass inside
 * one get would stall that get for milliseconds on a large store (4-8 MiB of counters per million
 * slots). The sweep ends within {@code words / 8} writing increments: about 2.5% of an aging period
 * ({@code 5 * words} counted increments once the count has been halved), so the two halves of the
 * table are on different scales only briefly.
 *
 * <h2>Progress and races</h2>
 * Every method is wait-free. Counter updates are racy read-modify-writes on purpose: a lost
 * increment only makes an estimate a little low, and avoiding CAS keeps the read path from
 * retrying. Counters saturate at 15, and a key whose counters are all saturated is not written at
 * all, so hot keys stop dirtying shared lines. Each line is claimed by exactly one thread per sweep;
 * a thread descheduled between its claim and its halving for a whole aging period could halve its
 * line in the next sweep too (that line's counters quartered once), an estimate error of the same
 * kind. {@code additions} is a plain racy count, like Caffeine's: a lost addition delays aging a
 * little.
 *
 * <p>Caffeine's sketch is written by its one maintenance thread; this one by every get, so the
 * count of additions, one word, would be written by every core on every get whose counters are not
 * saturated (on Zipfian keys, a large share of them). A store counts each thread's additions in
 * that thread's own context instead and adds them here {@link #additionsBatch()} at a time
 * ({@link #incrementDeferringCount}, {@link #countAdditions}): the shared word is written once per
 * batch. A batch is at most 64 and at most a thousandth of the aging count, so aging comes at most
 * that much late per thread, and a small sketch counts exactly.
 */
public final class FrequencySketch
{
    /** Words a sweep step halves: one 64-byte cache line. */
    static final int SWEEP_WORDS = 8;
    /** Counted increments per word between agings. */
    static final int AGING_INCREMENTS_PER_WORD = 10;
    /** A cache line of padding on either side of the count in its array. */
    private static final int ADDITIONS_INDEX = 8;
    private static final long RESET_MASK = 0x7777_7777_7777_7777L;
    private static final int BYTES_PER_WORD = 8;
    private static final int MIN_WORDS = 16;
    /** 1 GiB of counters: byte offsets stay within an int. */
    private static final int MAX_WORDS = 1 << 27;

    private final UnsafeBuffer table;
    private final int words;
    private final int wordMask;
    private final long sampleSize;
    /**
     * The racy count of increments since aging, alone on its cache lines: every get whose counters
     * are not saturated writes it, and every get reads this object's other fields, so kept among
     * them it made every get's read of {@code table} miss whenever another core had counted.
     */
    private final long[] additionsCell = new long[ADDITIONS_INDEX * 2 + 1];
    /** Next word the aging sweep halves; at least {@code words} when no sweep is running. */
    private final AtomicInteger sweepNext;

    /** @param table {@link #bytesFor} bytes, a power of two of 8-byte words, zeroed. */
    public FrequencySketch(final UnsafeBuffer table)
    {
        this.table = table;
        this.words = table.capacity() / BYTES_PER_WORD;
        if (words < MIN_WORDS || Integer.bitCount(words) != 1)
        {
            throw new IllegalArgumentException("sketch of " + table.capacity() + " bytes: need a power of two of at least " +
                MIN_WORDS + " words");
        }
        this.wordMask = words - 1;
        this.sampleSize = (long)AGING_INCREMENTS_PER_WORD * words;
        this.sweepNext = new AtomicInteger(words);
    }

    /** Bytes for a sketch of one word per index slot, rounded down to a power of two, at most 2^27 words (1 GiB). */
    public static long bytesFor(final long indexSlots)
    {
        final long words = Math.min(MAX_WORDS, Math.max(MIN_WORDS, Long.highestOneBit(Math.max(1, indexSlots))));
        return words * BYTES_PER_WORD;
    }

    /** Increments counted since the last aging began (halved by it); for tests. */
    long additions()
    {
        return additionsCell[ADDITIONS_INDEX];
    }

    /** The estimated recent uses of the key, 0 to 15. Wait-free. */
    public int frequency(final long hash)
    {
        final long word = table.getLong(wordIndex(hash, wordMask) * BYTES_PER_WORD);
        int min = 15;
        for (int i = 0; i < 4; i++)
        {
            final int shift = counterShift(hash, i);
            min = Math.min(min, (int)(word >>> shift) & 0xF);
        }
        return min;
    }

    /** Counts one use of the key; writes nothing when its counters are already saturated. Wait-free. */
    public void increment(final long hash)
    {
        if (incrementDeferringCount(hash))
        {
            countAdditions(1);
        }
    }

    /**
     * As {@link #increment}, but an increment that counts toward aging is left for the caller to
     * count ({@link #countAdditions}), so that threads need not all write the shared count. Wait-free.
     *
     * @return true when the caller is to count one addition: counters moved and no sweep is running
     * (an increment during a sweep helps it instead).
     */
    public boolean incrementDeferringCount(final long hash)
    {
        final int offset = wordIndex(hash, wordMask) * BYTES_PER_WORD;
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
        if (updated == word)
        {
            return false;
        }
        table.putLong(offset, updated);
        if (sweepNext.get() < words)
        {
            sweepStep();
            return false;
        }
        return true;
    }

    /** Adds {@code count} increments to the count toward aging; the one that reaches it starts a sweep. Wait-free. */
    public void countAdditions(final int count)
    {
        final int sweep = sweepNext.get();
        final long[] cell = additionsCell;
        final long additions = cell[ADDITIONS_INDEX] + count;
        cell[ADDITIONS_INDEX] = additions;
        if (additions >= sampleSize && sweep >= words && sweepNext.compareAndSet(sweep, 0))
        {
            cell[ADDITIONS_INDEX] = additions >>> 1;
        }
    }

    /** How many additions a thread may hold back before {@link #countAdditions}: 1 to 64, at most a thousandth of the aging count. */
    public int additionsBatch()
    {
        return (int)Math.max(1, Math.min(64, sampleSize / 1024));
    }

    /**
     * The word a key's counters are in: hash bits 32 and up, clear of the bits that pick its
     * counters (0-1, 8-9, 16-17, 24-25), and enough of them for the largest table (2^27 words).
     */
    static int wordIndex(final long hash, final int wordMask)
    {
        return (int)(hash >>> 32) & wordMask;
    }

    private static int counterShift(final long hash, final int i)
    {
        // Four distinct nibbles of the word, chosen by four 4-bit fields of the hash.
        final int nibble = ((int)(hash >>> (i * 8)) & 0x3) | (i << 2);
        return nibble << 2;
    }

    /** Claims the next line of counters and halves it; past the end of the table, nothing. */
    private void sweepStep()
    {
        final int start = sweepNext.getAndAdd(SWEEP_WORDS);
        final int end = Math.min(words, start + SWEEP_WORDS);
        for (int offset = start * BYTES_PER_WORD; offset < end * BYTES_PER_WORD; offset += BYTES_PER_WORD)
        {
            table.putLong(offset, (table.getLong(offset) >>> 1) & RESET_MASK);
        }
    }
}
