package dev.ferrite.node.server;

import dev.ferrite.transport.aeron.TermLengths;

import io.aeron.ChannelUri;
import io.aeron.CommonContext;

/**
 * Publication channels the node opens carry their own term length, so 1 MiB values fit in one
 * message even on an external media driver whose default term (64 KiB) allows only 8 KiB messages.
 */
public final class Channels
{
    private Channels()
    {
    }

    /** The channel with {@code term-length} (16 MiB) and {@code sparse=true} added unless it names them. */
    public static String withLargeTerms(final String channel)
    {
        final ChannelUri uri = ChannelUri.parse(channel);
        if (uri.get(CommonContext.TERM_LENGTH_PARAM_NAME) == null)
        {
            uri.put(CommonContext.TERM_LENGTH_PARAM_NAME, Integer.toString(TermLengths.TERM_LENGTH));
        }
        if (uri.get(CommonContext.SPARSE_PARAM_NAME) == null)
        {
            uri.put(CommonContext.SPARSE_PARAM_NAME, "true");
        }
        return uri.toString();
    }
}
