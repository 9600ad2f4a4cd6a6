package dev.ferrite.node.server;

import dev.ferrite.transport.aeron.TermLengths;

import io.aeron.ChannelUri;
import io.aeron.CommonContext;

/**
 * Publication channels the node opens carry their own term length, so 1 MiB values fit in one
 * message even on an external media driver whose default term (64 KiB) allows only 8 KiB messages.
 * The node sets them even when a client's hello names others: a client must not choose how much
 * memory the node's publications take.
 */
public final class Channels
{
    private Channels()
    {
    }

    /** The channel with {@code term-length} 16 MiB and {@code sparse=true}, replacing any the channel names. */
    public static String withLargeTerms(final String channel)
    {
        final ChannelUri uri = ChannelUri.parse(channel);
        uri.put(CommonContext.TERM_LENGTH_PARAM_NAME, Integer.toString(TermLengths.TERM_LENGTH));
        uri.put(CommonContext.SPARSE_PARAM_NAME, "true");
        return uri.toString();
    }
}
