package dev.ferrite.node.server;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;

import org.agrona.DirectBuffer;

/**
 * Offers answers to a client's publication without ever blocking the server: a back-pressured or
 * admin-action offer is retried a bounded number of times (yielding between tries), then the answer
 * is dropped and counted. A slow client thus loses answers (and times its requests out) instead of
 * stalling every other client of the node.
 */
public final class ResponsePublisher
{
    /** Tries per answer; about as long as a receiver takes to send a status message on loopback. */
    public static final int MAX_OFFER_ATTEMPTS = 16;

    private final NodeCounters counters;

    public ResponsePublisher(final NodeCounters counters)
    {
        this.counters = counters;
    }

    /** @return true when the answer was published. */
    public boolean offer(final ExclusivePublication publication, final DirectBuffer buffer, final int offset, final int length)
    {
        if (publication != null)
        {
            for (int attempt = 0; attempt < MAX_OFFER_ATTEMPTS; attempt++)
            {
                final long result = publication.offer(buffer, offset, length);
                if (result > 0)
                {
                    counters.add(NodeCounters.BYTES_OUT, length);
                    return true;
                }
                if (result != Publication.BACK_PRESSURED && result != Publication.ADMIN_ACTION)
                {
                    break; // not connected, closed or past its max position: retrying cannot help
                }
                Thread.yield();
            }
        }
        counters.increment(NodeCounters.RESPONSES_DROPPED);
        return false;
    }
}
