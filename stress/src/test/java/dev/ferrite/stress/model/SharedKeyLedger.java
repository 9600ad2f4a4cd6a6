package dev.ferrite.stress.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every successful write to a shared key and every hit read of one, checked after the threads
 * stop: each read must show a value that some write stored under exactly that version. With
 * eviction off (no removes on shared keys), versions never repeat, so that write is unique.
 */
final class SharedKeyLedger
{
    /** (key, version) to the (writer, sequence) pairs written with it. */
    private final Map<String, Collection<Long>> writes = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<long[]> reads = new ConcurrentLinkedQueue<>();

    void wrote(final int key, final long version, final int writer, final long sequence)
    {
        writes.computeIfAbsent(key + "@" + version, k -> new ConcurrentLinkedQueue<>()).add(writerSequence(writer, sequence));
    }

    void read(final int key, final long version, final int writer, final long sequence)
    {
        reads.add(new long[]{key, version, writer, sequence});
    }

    /** @return descriptions of reads no write explains, and of versions written twice (when unique versions are expected). */
    List<String> verify(final boolean versionsUnique)
    {
        final List<String> found = new ArrayList<>();
        for (final long[] r : reads)
        {
            final Collection<Long> candidates = writes.get(r[0] + "@" + r[1]);
            if (candidates == null || !candidates.contains(writerSequence((int)r[2], r[3])))
            {
                found.add("shared key " + r[0] + " read version " + r[1] + " with writer " + r[2] + " seq " + r[3] +
                    " but that write stored " + candidates);
            }
        }
        if (versionsUnique)
        {
            writes.forEach((keyVersion, list) ->
            {
                if (list.size() > 1)
                {
                    found.add("shared key@version " + keyVersion + " returned by " + list.size() + " writes");
                }
            });
        }
        return found;
    }

    private static long writerSequence(final int writer, final long sequence)
    {
        return ((long)writer << 48) | sequence;
    }
}
