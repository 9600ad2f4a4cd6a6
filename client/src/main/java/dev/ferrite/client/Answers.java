package dev.ferrite.client;

import dev.ferrite.transport.sbe.ErrorCode;
import dev.ferrite.transport.sbe.ErrorResponseDecoder;
import dev.ferrite.transport.sbe.MessageHeaderDecoder;
import dev.ferrite.transport.sbe.MultiGetResponseDecoder;
import dev.ferrite.transport.sbe.PongResponseDecoder;
import dev.ferrite.transport.sbe.ResultCode;
import dev.ferrite.transport.sbe.StatsResponseDecoder;
import dev.ferrite.transport.sbe.ValueResponseDecoder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.agrona.sbe.MessageDecoderFlyweight;

/**
 * Turns the answer in a request slot into a result object or an exception. Called by the thread that
 * completes the call (the caller for sync calls, the poller or the retry thread for async ones), always
 * before the slot is released. The byte[] API's results are built here; the zero-garbage calls decode
 * in {@link FerriteClient} without objects.
 */
final class Answers
{
    private Answers()
    {
    }

    /** Wraps the answer as a ValueResponse, or throws what an ErrorResponse (or anything else) says. */
    static ValueResponseDecoder value(final PendingRequest request)
    {
        if (request.templateId() != ValueResponseDecoder.TEMPLATE_ID)
        {
            throw request.templateId() == ErrorResponseDecoder.TEMPLATE_ID ? error(request) : unexpected(request, "a keyed request");
        }
        final ValueResponseDecoder value = request.codecs.value;
        value.wrapAndApplyHeader(request.responseBuffer, 0, request.codecs.headerDecoder);
        if (value.result() == ResultCode.ERROR || value.result() == ResultCode.MOVED || value.result() == ResultCode.NULL_VAL)
        {
            throw new FerriteException(ErrorCode.MALFORMED, "ValueResponse with result " + value.result());
        }
        return value;
    }

    static GetResult getResult(final PendingRequest request)
    {
        final ValueResponseDecoder value = value(request);
        final Status status = Status.of(value.result());
        final long version = value.version();
        final long ttlRemainingMillis = value.ttlRemainingMillis();
        byte[] bytes = null;
        if (status == Status.OK)
        {
            bytes = new byte[value.valueLength()];
            value.getValue(bytes, 0, bytes.length);
        }
        return new GetResult(status, bytes, version, ttlRemainingMillis);
    }

    static WriteResult writeResult(final PendingRequest request)
    {
        final ValueResponseDecoder value = value(request);
        return new WriteResult(Status.of(value.result()), value.version(), value.ttlRemainingMillis());
    }

    static Long numericValue(final PendingRequest request)
    {
        final ValueResponseDecoder value = value(request);
        if (value.result() != ResultCode.OK)
        {
            throw new FerriteException(ErrorCode.MALFORMED, "increment answered " + value.result());
        }
        return value.numericValue();
    }

    static Long pongRoundTripNanos(final PendingRequest request)
    {
        final PongResponseDecoder pong = expect(request, PongResponseDecoder.TEMPLATE_ID, request.codecs.pong, "ping");
        return System.nanoTime() - pong.sentNanos();
    }

    static NodeStats stats(final PendingRequest request)
    {
        final StatsResponseDecoder stats = expect(request, StatsResponseDecoder.TEMPLATE_ID, request.codecs.statsResponse, "stats");
        final int nodeId = stats.nodeId();
        final Map<String, Long> counters = new LinkedHashMap<>();
        for (final StatsResponseDecoder.CountersDecoder counter : stats.counters())
        {
            final long value = counter.value();
            counters.put(counter.name(), value);
        }
        return new NodeStats(nodeId, counters);
    }

    /**
     * The entries of a MultiGetResponse, in request order; MOVED entries come back as null for the
     * caller to fetch one by one (the entry names the owner's id, not its endpoint).
     */
    static List<GetResult> multiGet(final PendingRequest request, final int expectedCount)
    {
        final MultiGetResponseDecoder response = expect(request, MultiGetResponseDecoder.TEMPLATE_ID, request.codecs.multiGetResponse, "multi-get");
        final MultiGetResponseDecoder.EntriesDecoder entries = response.entries();
        if (entries.count() != expectedCount)
        {
            throw new FerriteException(ErrorCode.MALFORMED, "multi-get answered " + entries.count() + " entries for " + expectedCount + " keys");
        }
        final List<GetResult> results = new ArrayList<>(expectedCount);
        for (final MultiGetResponseDecoder.EntriesDecoder entry : entries)
        {
            final ResultCode result = entry.result();
            final ErrorCode errorCode = entry.errorCode();
            final long version = entry.version();
            final long ttlRemainingMillis = entry.ttlRemainingMillis();
            final byte[] bytes = new byte[entry.valueLength()];
            entry.getValue(bytes, 0, bytes.length);
            if (result == ResultCode.MOVED)
            {
                results.add(null);
            }
            else if (result == ResultCode.ERROR)
            {
                throw new FerriteException(errorCode, "multi-get entry " + results.size() + " failed");
            }
            else
            {
                final Status status = Status.of(result);
                results.add(new GetResult(status, status == Status.OK ? bytes : null, version, ttlRemainingMillis));
            }
        }
        return results;
    }

    private static <D extends MessageDecoderFlyweight> D expect(
        final PendingRequest request, final int templateId, final D decoder, final String what)
    {
        if (request.templateId() != templateId)
        {
            throw request.templateId() == ErrorResponseDecoder.TEMPLATE_ID ? error(request) : unexpected(request, what);
        }
        request.codecs.headerDecoder.wrap(request.responseBuffer, 0);
        decoder.wrap(
            request.responseBuffer,
            MessageHeaderDecoder.ENCODED_LENGTH,
            request.codecs.headerDecoder.blockLength(),
            request.codecs.headerDecoder.version());
        return decoder;
    }

    static ErrorCode errorCode(final PendingRequest request)
    {
        final ErrorResponseDecoder error = request.codecs.error;
        error.wrapAndApplyHeader(request.responseBuffer, 0, request.codecs.headerDecoder);
        return error.code();
    }

    static FerriteException error(final PendingRequest request)
    {
        final ErrorResponseDecoder error = request.codecs.error;
        error.wrapAndApplyHeader(request.responseBuffer, 0, request.codecs.headerDecoder);
        final ErrorCode code = error.code();
        final String message = error.message();
        return new FerriteException(code == null ? ErrorCode.INTERNAL : code, message);
    }

    static FerriteException unexpected(final PendingRequest request, final String what)
    {
        return new FerriteException(ErrorCode.MALFORMED, "unexpected answer (template " + request.templateId() + ") to " + what);
    }

    static FerriteException failure(final PendingRequest request)
    {
        final Throwable failure = request.failure;
        return failure instanceof FerriteException ? (FerriteException)failure :
            new FerriteException(ErrorCode.INTERNAL, String.valueOf(failure), failure);
    }
}
