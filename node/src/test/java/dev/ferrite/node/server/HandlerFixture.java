package dev.ferrite.node.server;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.FerriteCache;
import dev.ferrite.transport.aeron.TermLengths;
import dev.ferrite.transport.routing.NodeEndpoint;
import dev.ferrite.transport.routing.SlotTable;
import dev.ferrite.transport.sbe.ErrorResponseDecoder;
import dev.ferrite.transport.sbe.MessageHeaderDecoder;
import dev.ferrite.transport.sbe.MovedResponseDecoder;
import dev.ferrite.transport.sbe.ValueResponseDecoder;

import java.util.Arrays;
import java.util.List;

import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;

/** A handler over a small cache with a manual clock; node 1 owns the even slots, node 2 the odd ones. */
final class HandlerFixture implements AutoCloseable
{
    static final int SELF = 1;
    static final int OTHER = 2;

    final CachedEpochClock clock = new CachedEpochClock();
    final FerriteCache cache;
    final NodeCounters counters = TestCounters.create();
    final Topology topology;
    final RequestHandler handler;
    final UnsafeBuffer request = new UnsafeBuffer(new byte[TermLengths.MAX_MESSAGE_LENGTH]);
    final UnsafeBuffer response = new UnsafeBuffer(new byte[TermLengths.MAX_MESSAGE_LENGTH]);
    final Requests requests = new Requests();
    final MessageHeaderDecoder header = new MessageHeaderDecoder();
    final ValueResponseDecoder value = new ValueResponseDecoder();
    final ErrorResponseDecoder error = new ErrorResponseDecoder();
    final MovedResponseDecoder moved = new MovedResponseDecoder();
    int responseLength;

    /** Enough for 1 MiB values: the engine wants 9 segments of twice the largest record. */
    static final long LARGE_CAPACITY_BYTES = 32L << 20;
    /** Small, so a test's cache is quick to create. */
    static final long SMALL_CAPACITY_BYTES = 4L << 20;

    HandlerFixture(final boolean split)
    {
        this(split, SMALL_CAPACITY_BYTES);
    }

    HandlerFixture(final boolean split, final long capacityBytes)
    {
        clock.update(1_000_000L);
        cache = FerriteCache.create(new CacheConfig().capacityBytes(capacityBytes).clock(clock));
        final int[] owners = new int[SlotTable.SLOT_COUNT];
        if (split)
        {
            for (int slot = 0; slot < owners.length; slot++)
            {
                owners[slot] = slot % 2 == 0 ? SELF : OTHER;
            }
        }
        else
        {
            Arrays.fill(owners, SELF);
        }
        topology = new Topology(new SlotTable(3, List.of(
            new NodeEndpoint(SELF, "127.0.0.1", 7001), new NodeEndpoint(OTHER, "127.0.0.1", 7002)), owners));
        handler = new RequestHandler(cache, topology, SELF, counters);
    }

    /** Serves the request encoded in {@link #request}; returns the answer's template id (or FORWARD). */
    int serve(final int requestLength)
    {
        responseLength = handler.handle(request, 0, requestLength, response, 0);
        if (responseLength == RequestHandler.FORWARD)
        {
            return RequestHandler.FORWARD;
        }
        header.wrap(response, 0);
        switch (header.templateId())
        {
            case ValueResponseDecoder.TEMPLATE_ID:
                value.wrapAndApplyHeader(response, 0, header);
                break;
            case ErrorResponseDecoder.TEMPLATE_ID:
                error.wrapAndApplyHeader(response, 0, header);
                break;
            case MovedResponseDecoder.TEMPLATE_ID:
                moved.wrapAndApplyHeader(response, 0, header);
                break;
            default:
                break;
        }
        return header.templateId();
    }

    byte[] valueBytes()
    {
        final byte[] bytes = new byte[value.valueLength()];
        value.getValue(bytes, 0, bytes.length);
        return bytes;
    }

    /** A key whose slot the given node owns in the split table. */
    static byte[] keyOwnedBy(final int nodeId, final String prefix)
    {
        for (int i = 0; ; i++)
        {
            final byte[] key = Requests.bytes(prefix + i);
            final int slot = SlotTable.slotOf(new UnsafeBuffer(key), 0, key.length);
            if ((slot % 2 == 0 ? SELF : OTHER) == nodeId)
            {
                return key;
            }
        }
    }

    @Override
    public void close()
    {
        cache.close();
    }
}
