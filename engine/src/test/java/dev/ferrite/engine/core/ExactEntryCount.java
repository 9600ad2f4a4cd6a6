package dev.ferrite.engine.core;

import dev.ferrite.engine.log.SegmentLog;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;

import static dev.ferrite.engine.log.RecordDescriptor.*;

/**
 * What the {@code entries} statistic must equal once no operation is in flight: the keys whose newest
 * reachable record is not a tombstone (expired ones included: they count until reclaimed or
 * overwritten). Walks every chain as {@link Store#findKey} does, stopping at a reclaimed segment.
 */
final class ExactEntryCount
{
    private ExactEntryCount()
    {
    }

    static long of(final Store store)
    {
        final SegmentLog log = store.log;
        long entries = 0;
        for (int slot = 0; slot < store.index.slotCount(); slot++)
        {
            final Set<ByteBuffer> keysSeen = new HashSet<>();
            long address = store.index.headAcquire(slot);
            while (address != 0 && log.isCurrent(log.logicalSegment(address)))
            {
                final UnsafeBuffer buffer = log.buffer(log.logicalSegment(address));
                final int offset = log.offset(address);
                final long lengths = buffer.getLong(offset + LENGTHS_OFFSET);
                final byte[] key = new byte[keyLength(lengths)];
                buffer.getBytes(offset + HEADER_LENGTH, key);
                if (keysSeen.add(ByteBuffer.wrap(key)) && (flags(lengths) & FLAG_TOMBSTONE) == 0)
                {
                    entries++;
                }
                address = buffer.getLong(offset + PREVIOUS_OFFSET);
            }
        }
        return entries;
    }
}
