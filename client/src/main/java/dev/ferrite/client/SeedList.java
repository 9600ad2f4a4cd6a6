package dev.ferrite.client;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The configured seed nodes and which one is current. Failing over advances the index with a CAS so
 * that many threads seeing the same dead seed move on only once.
 */
final class SeedList
{
    private final NodeSession[] seeds;
    private final AtomicInteger current = new AtomicInteger();

    SeedList(final List<String> hostPorts, final NodeSessions sessions)
    {
        seeds = new NodeSession[hostPorts.size()];
        for (int i = 0; i < seeds.length; i++)
        {
            seeds[i] = sessions.forHostPort(hostPorts.get(i));
        }
    }

    NodeSession current()
    {
        return seeds[current.get()];
    }

    /** Moves past {@code dead} if it is the current seed. */
    void failOver(final NodeSession dead)
    {
        final int index = current.get();
        if (seeds[index] == dead)
        {
            current.compareAndSet(index, (index + 1) % seeds.length);
        }
    }

    int size()
    {
        return seeds.length;
    }

    NodeSession get(final int index)
    {
        return seeds[index];
    }

    boolean contains(final NodeSession session)
    {
        for (final NodeSession seed : seeds)
        {
            if (seed == session)
            {
                return true;
            }
        }
        return false;
    }
}
