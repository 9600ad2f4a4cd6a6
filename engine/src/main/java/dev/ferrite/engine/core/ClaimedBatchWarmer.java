package dev.ferrite.engine.core;

import dev.ferrite.engine.hash.KeyHash;
import dev.ferrite.engine.index.ChainIndex;
import dev.ferrite.engine.log.SegmentLog;
import org.agrona.concurrent.UnsafeBuffer;

import static dev.ferrite.engine.log.RecordDescriptor.FLAG_FILLER;
import static dev.ferrite.engine.log.RecordDescriptor.HEADER_LENGTH;
import static dev.ferrite.engine.log.RecordDescriptor.SUPERSEDED_BIT;
import static dev.ferrite.engine.log.RecordDescriptor.flags;
import static dev.ferrite.engine.log.RecordDescriptor.keyLength;

/**
 * Loads, for every record of a claimed reclaim batch at once, the memory that deciding its fate will
 * read: its key's index slot and, for a record that may be superseded, the record at the head of
 * that slot's chain. Reclaim then decides record by record from cache.
 *
 * <p>Why: deciding one record costs two or three cache misses on memory no other part of the batch
 * touches (the index slot, then the chain's head record), and done one record at a time each miss
 * waits for the one before. A JFR profile of single-threaded puts at 80% live data had 62% of the
 * samples in reclaim, half of them in those loads. Here the loads of different records do not
 * depend on each other, so the processor has several in flight at once. Java has no prefetch
 * instruction; plain loads whose results are folded into a sink do the same.
 *
 * <p>Nothing loaded here is trusted: values are only touched, and the processing that follows
 * re-reads everything with its own ordering and validation. Every address is bounds-checked before
 * use, so a stale or torn word read here reads inside the arena or nowhere. The key hashes computed
 * here are kept, and are as good as hashing at processing time: either way the hash is of bytes read
 * before processing checks that the segment is still in this lap (a segment finished meanwhile by a
 * finisher that stopped waiting for this helper may hold other keys, and that check sees it).
 *
 * <p>Progress: wait-free, a bounded pass over at most {@link Reclaimer#CLAIM_BATCH} records.
 */
final class ClaimedBatchWarmer
{
    private final SegmentLog log;
    private final ChainIndex index;
    private final long hashSeed;
    private final int segmentBytes;

    ClaimedBatchWarmer(final SegmentLog log, final ChainIndex index, final long hashSeed)
    {
        this.log = log;
        this.index = index;
        this.hashSeed = hashSeed;
        this.segmentBytes = log.segmentBytes();
    }

    /**
     * Fills {@code context.claimedHashes[first, claimed)} with the claimed records' key hashes (0 for
     * an entry that is not a record) and touches their index slots, then the head records of the
     * slots of records that carry {@code SUPERSEDED_BIT} in their claimed first word.
     */
    void warm(final OperationContext context, final UnsafeBuffer buffer, final int first, final int claimed)
    {
        final int[] offsets = context.claimedOffsets;
        final long[] words = context.claimedWords;
        final long[] hashes = context.claimedHashes;
        long sink = 0;
        for (int i = first; i < claimed; i++)
        {
            final long lengths = words[i];
            final int keyLength = keyLength(lengths);
            final int offset = offsets[i];
            if (lengths == 0 || (flags(lengths) & FLAG_FILLER) != 0 ||
                offset + HEADER_LENGTH + (long)keyLength > segmentBytes)
            {
                hashes[i] = 0;
                continue;
            }
            hashes[i] = KeyHash.hash(buffer, offset + HEADER_LENGTH, keyLength, hashSeed);
        }
        // A loop of loads alone, apart from the hashing: a few instructions per record, so the
        // processor's window holds many records' loads at once.
        for (int i = first; i < claimed; i++)
        {
            sink += index.headPlain(index.slotFor(hashes[i]));
        }
        // The slots are in cache now, so each head record's load issues at once.
        for (int i = first; i < claimed; i++)
        {
            if ((words[i] & SUPERSEDED_BIT) == 0 || hashes[i] == 0)
            {
                continue;
            }
            final long head = index.headPlain(index.slotFor(hashes[i]));
            final int headOffset = log.offset(head);
            if (head != 0 && headOffset <= segmentBytes - HEADER_LENGTH - Long.BYTES)
            {
                final UnsafeBuffer headBuffer = log.buffer(log.logicalSegment(head));
                sink += headBuffer.getLong(headOffset) + headBuffer.getLong(headOffset + HEADER_LENGTH);
            }
        }
        context.warmSink = sink;
    }
}
