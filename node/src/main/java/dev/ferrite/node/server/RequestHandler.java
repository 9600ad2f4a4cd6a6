package dev.ferrite.node.server;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.CacheStats;
import dev.ferrite.engine.EntryMeta;
import dev.ferrite.engine.FerriteCache;
import dev.ferrite.engine.Status;
import dev.ferrite.engine.core.Store;
import dev.ferrite.transport.routing.SlotTable;
import dev.ferrite.transport.sbe.DeleteRequestDecoder;
import dev.ferrite.transport.sbe.ErrorCode;
import dev.ferrite.transport.sbe.GetRequestDecoder;
import dev.ferrite.transport.sbe.IncrementRequestDecoder;
import dev.ferrite.transport.sbe.MessageHeaderDecoder;
import dev.ferrite.transport.sbe.MessageHeaderEncoder;
import dev.ferrite.transport.sbe.MultiGetRequestDecoder;
import dev.ferrite.transport.sbe.MultiGetResponseEncoder;
import dev.ferrite.transport.sbe.PingRequestDecoder;
import dev.ferrite.transport.sbe.PongResponseEncoder;
import dev.ferrite.transport.sbe.ResultCode;
import dev.ferrite.transport.sbe.SetRequestDecoder;
import dev.ferrite.transport.sbe.StatsRequestDecoder;
import dev.ferrite.transport.sbe.StatsResponseEncoder;
import dev.ferrite.transport.sbe.TopologyRequestDecoder;
import dev.ferrite.transport.sbe.TopologyResponseEncoder;
import dev.ferrite.transport.sbe.TouchRequestDecoder;
import dev.ferrite.transport.sbe.ValueResponseEncoder;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Serves one request: decodes it from a buffer, applies it to the cache, encodes the answer into
 * another buffer. No I/O, so it can be unit-tested and fuzzed; sessions, authentication and
 * forwarding live in the server around it.
 *
 * <p>Hostile input: every length that comes from the wire (header, blockLength, var data, groups)
 * is checked against the message length before it is used, and any exception the cache throws is
 * answered as {@code INTERNAL}; a request always yields either an answer or {@link #FORWARD}.
 *
 * <p>Threading: one instance per server thread (it reuses its codecs and scratch space, so a
 * request allocates nothing). The cache operations it calls are lock-free; increment is a
 * lock-free read + compare-and-set retry loop.
 */
public final class RequestHandler
{
    /** {@link #handle} result: the request is for a slot another node owns and asked to be proxied. */
    public static final int FORWARD = -1;

    /** Bits of the RequestFlags set, which sits right after correlationId in every keyed request. */
    public static final int FLAG_PROXY = 1;
    public static final int FLAG_FORWARDED = 2;
    /** Offsets in every request's and answer's block: correlationId first, then (keyed requests) flags. */
    public static final int CORRELATION_ID_OFFSET = 0;
    public static final int FLAGS_OFFSET = 8;

    /** Increment gives up after this many lost compare-and-set races (lock-free, but bounded for safety). */
    static final int INCREMENT_MAX_ATTEMPTS = 10_000;

    private static final int HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;
    private static final int NOT_ROUTED = Integer.MIN_VALUE;
    /** Smallest MultiGetResponse entry: result, errorCode, version, ttl, owner, empty value. */
    private static final int MULTI_GET_ENTRY_MIN_BYTES =
        MultiGetResponseEncoder.EntriesEncoder.sbeBlockLength() + VarData.LENGTH_FIELD_BYTES;

    private static final byte[] TRUNCATED = ResponseWriter.text("message shorter than its header or block");
    private static final byte[] WRONG_SCHEMA = ResponseWriter.text("unknown schema id");
    private static final byte[] WRONG_VERSION = ResponseWriter.text("unsupported schema version");
    private static final byte[] UNKNOWN_TEMPLATE = ResponseWriter.text("unknown or unexpected message template");
    private static final byte[] SHORT_BLOCK = ResponseWriter.text("blockLength shorter than the message's fields");
    private static final byte[] FIELD_PAST_END = ResponseWriter.text("a length reaches past the end of the message");
    private static final byte[] KEY_TOO_LARGE = ResponseWriter.text("key longer than the node's maxKeyLength");
    private static final byte[] VALUE_TOO_LARGE = ResponseWriter.text("value longer than the node's maxValueLength");
    private static final byte[] INVALID_TTL = ResponseWriter.text("ttlMillis must be >= 0 and not overflow");
    private static final byte[] BAD_CONDITION = ResponseWriter.text("unknown set condition");
    private static final byte[] BAD_VERSION = ResponseWriter.text("expectedVersion must be > 0 for IF_VERSION and >= 0 for delete");
    private static final byte[] FULL = ResponseWriter.text("the cache is full and eviction is off");
    private static final byte[] NOT_A_NUMBER = ResponseWriter.text("the value is not a decimal integer");
    private static final byte[] NUMBER_OVERFLOW = ResponseWriter.text("the result does not fit in a signed 64-bit integer");
    private static final byte[] CONTENDED = ResponseWriter.text("increment lost too many races");
    private static final byte[] TOO_LARGE_ANSWER = ResponseWriter.text("the answer does not fit in one message");
    private static final byte[] INTERNAL = ResponseWriter.text("internal error");

    private static final byte[][] ENGINE_STAT_NAMES = {
        ResponseWriter.text("engine.hits"), ResponseWriter.text("engine.misses"), ResponseWriter.text("engine.puts"),
        ResponseWriter.text("engine.removes"), ResponseWriter.text("engine.evictions"),
        ResponseWriter.text("engine.expirations"), ResponseWriter.text("engine.relocations"),
        ResponseWriter.text("engine.entries"), ResponseWriter.text("engine.bytesInUse"),
        ResponseWriter.text("engine.capacityBytes"), ResponseWriter.text("engine.allocatedBytes") };

    private final FerriteCache cache;
    private final Topology topology;
    private final int nodeId;
    private final NodeCounters counters;
    private final EpochClock clock;
    private final int maxKeyLength;
    private final int maxValueLength;

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final GetRequestDecoder getDecoder = new GetRequestDecoder();
    private final MultiGetRequestDecoder multiGetDecoder = new MultiGetRequestDecoder();
    private final SetRequestDecoder setDecoder = new SetRequestDecoder();
    private final DeleteRequestDecoder deleteDecoder = new DeleteRequestDecoder();
    private final TouchRequestDecoder touchDecoder = new TouchRequestDecoder();
    private final IncrementRequestDecoder incrementDecoder = new IncrementRequestDecoder();
    private final PingRequestDecoder pingDecoder = new PingRequestDecoder();
    private final MultiGetResponseEncoder multiGetEncoder = new MultiGetResponseEncoder();
    private final PongResponseEncoder pongEncoder = new PongResponseEncoder();
    private final TopologyResponseEncoder topologyEncoder = new TopologyResponseEncoder();
    private final StatsResponseEncoder statsEncoder = new StatsResponseEncoder();
    private final ResponseWriter writer;
    private final VarData var = new VarData();
    private final EntryMeta meta = new EntryMeta();
    private final DecimalAscii decimal = new DecimalAscii();
    private final UnsafeBuffer numberScratch = new UnsafeBuffer(new byte[32]);

    private long correlationId;
    private int forwardNodeId;
    private int templateId;
    private int movedSlot;
    private int movedOwner;

    public RequestHandler(final FerriteCache cache, final Topology topology, final int nodeId, final NodeCounters counters)
    {
        this.cache = cache;
        this.topology = topology;
        this.nodeId = nodeId;
        this.counters = counters;
        final CacheConfig config = cache.config();
        this.clock = config.clock();
        this.maxKeyLength = config.maxKeyLength();
        this.maxValueLength = config.maxValueLength();
        this.writer = new ResponseWriter(counters);
    }

    /**
     * Serves one request.
     *
     * @param request        holds the request, header first.
     * @param offset         where the request starts.
     * @param length         its length in bytes; nothing past it is read.
     * @param response       receives the answer; needs room for the largest value plus 1 KiB to serve 1 MiB values.
     * @param responseOffset where the answer starts.
     * @return the answer's length, or {@link #FORWARD} (then see {@link #forwardNodeId()}).
     */
    public int handle(
        final DirectBuffer request, final int offset, final int length,
        final MutableDirectBuffer response, final int responseOffset)
    {
        correlationId = 0;
        forwardNodeId = -1;
        templateId = -1;
        try
        {
            return dispatch(request, offset, length, response, responseOffset);
        }
        catch (final RuntimeException ex)
        {
            // Never crash the server thread: the cache throws only for misuse or after close.
            return writer.error(response, responseOffset, correlationId, ErrorCode.INTERNAL, INTERNAL);
        }
    }

    /** The correlation id of the last request, 0 when it could not be read. */
    public long correlationId()
    {
        return correlationId;
    }

    /** The template id of the last request, -1 when its header could not be read. */
    public int templateId()
    {
        return templateId;
    }

    /** After {@link #FORWARD}: the node that owns the request's slot. */
    public int forwardNodeId()
    {
        return forwardNodeId;
    }

    /** Writes an error answer for the last request's correlation id (used by the server for UNAVAILABLE etc.). */
    public int error(final MutableDirectBuffer response, final int responseOffset, final ErrorCode code, final byte[] message)
    {
        return writer.error(response, responseOffset, correlationId, code, message);
    }

    /** Writes an error answer for a given correlation id. */
    public int errorFor(
        final MutableDirectBuffer response, final int responseOffset, final long correlationId, final ErrorCode code,
        final byte[] message)
    {
        return writer.error(response, responseOffset, correlationId, code, message);
    }

    /**
     * Reads the header and the correlation id without serving the request.
     *
     * @return the template id, or -1 when the header is truncated or from another schema.
     */
    public int peek(final DirectBuffer request, final int offset, final int length)
    {
        correlationId = 0;
        templateId = -1;
        if (length < HEADER_LENGTH)
        {
            return -1;
        }
        headerDecoder.wrap(request, offset);
        if (headerDecoder.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            return -1;
        }
        if (headerDecoder.blockLength() >= 8 && length >= HEADER_LENGTH + 8)
        {
            correlationId = request.getLong(offset + HEADER_LENGTH + CORRELATION_ID_OFFSET, ByteOrder.LITTLE_ENDIAN);
        }
        templateId = headerDecoder.templateId();
        return templateId;
    }

    private int dispatch(
        final DirectBuffer request, final int offset, final int length,
        final MutableDirectBuffer response, final int responseOffset)
    {
        if (length < HEADER_LENGTH)
        {
            return writer.error(response, responseOffset, 0, ErrorCode.MALFORMED, TRUNCATED);
        }
        headerDecoder.wrap(request, offset);
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        final int end = offset + length;
        final int body = offset + HEADER_LENGTH;
        if (blockLength >= 8 && length >= HEADER_LENGTH + 8)
        {
            correlationId = request.getLong(body + CORRELATION_ID_OFFSET, ByteOrder.LITTLE_ENDIAN);
        }
        if (headerDecoder.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            return writer.error(response, responseOffset, correlationId, ErrorCode.UNKNOWN_MESSAGE, WRONG_SCHEMA);
        }
        if (version < 1)
        {
            return writer.error(response, responseOffset, correlationId, ErrorCode.UNSUPPORTED_VERSION, WRONG_VERSION);
        }
        if (blockLength > length - HEADER_LENGTH)
        {
            return writer.error(response, responseOffset, correlationId, ErrorCode.MALFORMED, TRUNCATED);
        }
        templateId = headerDecoder.templateId();
        switch (templateId)
        {
            case GetRequestDecoder.TEMPLATE_ID:
                if (blockLength < GetRequestDecoder.BLOCK_LENGTH)
                {
                    break;
                }
                counters.increment(NodeCounters.REQUESTS_GET);
                getDecoder.wrap(request, body, blockLength, version);
                return onGet(request, end, response, responseOffset);

            case MultiGetRequestDecoder.TEMPLATE_ID:
                if (blockLength < MultiGetRequestDecoder.BLOCK_LENGTH)
                {
                    break;
                }
                counters.increment(NodeCounters.REQUESTS_MULTI_GET);
                multiGetDecoder.wrap(request, body, blockLength, version);
                return onMultiGet(request, end, response, responseOffset);

            case SetRequestDecoder.TEMPLATE_ID:
                if (blockLength < SetRequestDecoder.BLOCK_LENGTH)
                {
                    break;
                }
                counters.increment(NodeCounters.REQUESTS_SET);
                setDecoder.wrap(request, body, blockLength, version);
                return onSet(request, end, response, responseOffset);

            case DeleteRequestDecoder.TEMPLATE_ID:
                if (blockLength < DeleteRequestDecoder.BLOCK_LENGTH)
                {
                    break;
                }
                counters.increment(NodeCounters.REQUESTS_DELETE);
                deleteDecoder.wrap(request, body, blockLength, version);
                return onDelete(request, end, response, responseOffset);

            case TouchRequestDecoder.TEMPLATE_ID:
                if (blockLength < TouchRequestDecoder.BLOCK_LENGTH)
                {
                    break;
                }
                counters.increment(NodeCounters.REQUESTS_TOUCH);
                touchDecoder.wrap(request, body, blockLength, version);
                return onTouch(request, end, response, responseOffset);

            case IncrementRequestDecoder.TEMPLATE_ID:
                if (blockLength < IncrementRequestDecoder.BLOCK_LENGTH)
                {
                    break;
                }
                counters.increment(NodeCounters.REQUESTS_INCREMENT);
                incrementDecoder.wrap(request, body, blockLength, version);
                return onIncrement(request, end, response, responseOffset);

            case PingRequestDecoder.TEMPLATE_ID:
                if (blockLength < PingRequestDecoder.BLOCK_LENGTH)
                {
                    break;
                }
                counters.increment(NodeCounters.REQUESTS_PING);
                pingDecoder.wrap(request, body, blockLength, version);
                pongEncoder.wrapAndApplyHeader(response, responseOffset, writer.header())
                    .correlationId(correlationId)
                    .nodeId(nodeId)
                    .sentNanos(pingDecoder.sentNanos());
                return HEADER_LENGTH + pongEncoder.encodedLength();

            case TopologyRequestDecoder.TEMPLATE_ID:
                if (blockLength < TopologyRequestDecoder.BLOCK_LENGTH)
                {
                    break;
                }
                counters.increment(NodeCounters.REQUESTS_TOPOLOGY);
                return onTopology(response, responseOffset);

            case StatsRequestDecoder.TEMPLATE_ID:
                if (blockLength < StatsRequestDecoder.BLOCK_LENGTH)
                {
                    break;
                }
                counters.increment(NodeCounters.REQUESTS_STATS);
                return onStats(response, responseOffset);

            default:
                return writer.error(response, responseOffset, correlationId, ErrorCode.UNKNOWN_MESSAGE, UNKNOWN_TEMPLATE);
        }
        return writer.error(response, responseOffset, correlationId, ErrorCode.MALFORMED, SHORT_BLOCK);
    }

    private int onGet(final DirectBuffer request, final int end, final MutableDirectBuffer response, final int responseOffset)
    {
        final int flags = getDecoder.flags().getRaw();
        if (var.readVarData(request, getDecoder.limit(), end) < 0)
        {
            return writer.error(response, responseOffset, correlationId, ErrorCode.MALFORMED, FIELD_PAST_END);
        }
        final int keyOffset = var.dataOffset;
        final int keyLength = var.dataLength;
        if (keyLength > maxKeyLength)
        {
            return writer.error(response, responseOffset, correlationId, ErrorCode.KEY_TOO_LARGE, KEY_TOO_LARGE);
        }
        final int routed = route(request, keyOffset, keyLength, flags, response, responseOffset);
        if (routed != NOT_ROUTED)
        {
            return routed;
        }
        final ValueResponseEncoder encoder = writer.beginValue(response, responseOffset, correlationId, ResultCode.OK, 0, -1, 0);
        final int limit = encoder.limit();
        final int valueLength = cache.get(
            request, keyOffset, keyLength, response, limit + VarData.LENGTH_FIELD_BYTES, meta);
        if (valueLength >= 0)
        {
            counters.increment(NodeCounters.HITS);
            encoder.version(meta.version()).ttlRemainingMillis(ttlRemainingMillis(meta.expiresAtMillis()));
            response.putInt(limit, valueLength, ByteOrder.LITTLE_ENDIAN);
            return writer.endValue(limit + VarData.LENGTH_FIELD_BYTES + valueLength);
        }
        if (valueLength == Status.MISS)
        {
            counters.increment(NodeCounters.MISSES);
            return writer.result(response, responseOffset, correlationId, ResultCode.NOT_FOUND, 0, -1, 0);
        }
        return engineError(valueLength, response, responseOffset);
    }

    private int onMultiGet(
        final DirectBuffer request, final int end, final MutableDirectBuffer response, final int responseOffset)
    {
        final int flags = multiGetDecoder.flags().getRaw();
        final int firstEntry = var.readGroupHeader(request, multiGetDecoder.limit(), end);
        if (firstEntry < 0)
        {
            return writer.error(response, responseOffset, correlationId, ErrorCode.MALFORMED, FIELD_PAST_END);
        }
        final int count = var.groupCount;
        final int entryBlockLength = var.groupBlockLength;
        final TopologyView view = topology.view();
        final SlotTable table = view.table();

        // Pass 1: validate every key before writing anything, and see where the keys live.
        int remoteOwner = -1;
        boolean singleRemoteOwner = true;
        boolean anyLocal = false;
        int position = firstEntry;
        for (int i = 0; i < count; i++)
        {
            if (entryBlockLength > end - position)
            {
                return writer.error(response, responseOffset, correlationId, ErrorCode.MALFORMED, FIELD_PAST_END);
            }
            position = var.readVarData(request, position + entryBlockLength, end);
            if (position < 0)
            {
                return writer.error(response, responseOffset, correlationId, ErrorCode.MALFORMED, FIELD_PAST_END);
            }
            if (var.dataLength > maxKeyLength)
            {
                return writer.error(response, responseOffset, correlationId, ErrorCode.KEY_TOO_LARGE, KEY_TOO_LARGE);
            }
            final int owner = table.ownerOfKey(request, var.dataOffset, var.dataLength);
            if (owner == nodeId)
            {
                anyLocal = true;
            }
            else if (remoteOwner == -1)
            {
                remoteOwner = owner;
            }
            else if (owner != remoteOwner)
            {
                singleRemoteOwner = false;
            }
        }
        if (!anyLocal && remoteOwner != -1 && singleRemoteOwner && isProxyRequest(flags))
        {
            forwardNodeId = remoteOwner;
            return FORWARD;
        }

        // Pass 2: answer each key in order; keys owned elsewhere come back MOVED per entry.
        final int capacityEnd = response.capacity();
        multiGetEncoder.wrapAndApplyHeader(response, responseOffset, writer.header()).correlationId(correlationId);
        final MultiGetResponseEncoder.EntriesEncoder entries = multiGetEncoder.entriesCount(count);
        position = firstEntry;
        for (int i = 0; i < count; i++)
        {
            position = var.readVarData(request, position + entryBlockLength, end);
            final int keyOffset = var.dataOffset;
            final int keyLength = var.dataLength;
            entries.next().errorCode(ErrorCode.NONE).version(0).ttlRemainingMillis(-1).ownerNodeId(nodeId);
            final int limit = multiGetEncoder.limit();
            final int owner = table.ownerOfKey(request, keyOffset, keyLength);
            int valueLength = 0;
            if (owner != nodeId)
            {
                counters.increment(NodeCounters.MOVED_SENT);
                entries.result(ResultCode.MOVED).ownerNodeId(owner);
            }
            else
            {
                final int reserveForRest = (count - i - 1) * MULTI_GET_ENTRY_MIN_BYTES;
                final int got = cache.get(request, keyOffset, keyLength, response, limit + VarData.LENGTH_FIELD_BYTES, meta);
                if (got >= 0 && limit + VarData.LENGTH_FIELD_BYTES + got + reserveForRest <= capacityEnd)
                {
                    counters.increment(NodeCounters.HITS);
                    entries.result(ResultCode.OK).version(meta.version())
                        .ttlRemainingMillis(ttlRemainingMillis(meta.expiresAtMillis()));
                    valueLength = got;
                }
                else if (got == Status.MISS)
                {
                    counters.increment(NodeCounters.MISSES);
                    entries.result(ResultCode.NOT_FOUND);
                }
                else
                {
                    counters.incrementError(ErrorCode.RESPONSE_TOO_LARGE);
                    entries.result(ResultCode.ERROR).errorCode(ErrorCode.RESPONSE_TOO_LARGE);
                }
            }
            response.putInt(limit, valueLength, ByteOrder.LITTLE_ENDIAN);
            multiGetEncoder.limit(limit + VarData.LENGTH_FIELD_BYTES + valueLength);
        }
        return HEADER_LENGTH + multiGetEncoder.encodedLength();
    }

    private int onSet(final DirectBuffer request, final int end, final MutableDirectBuffer response, final int responseOffset)
    {
        final int flags = setDecoder.flags().getRaw();
        final short condition = setDecoder.conditionRaw();
        final long ttlMillis = setDecoder.ttlMillis();
        final long expectedVersion = setDecoder.expectedVersion();
        final int valuePosition = var.readVarData(request, setDecoder.limit(), end);
        if (valuePosition < 0)
        {
            return writer.error(response, responseOffset, correlationId, ErrorCode.MALFORMED, FIELD_PAST_END);
        }
        final int keyOffset = var.dataOffset;
        final int keyLength = var.dataLength;
        if (var.readVarData(request, valuePosition, end) < 0)
        {
            return writer.error(response, responseOffset, correlationId, ErrorCode.MALFORMED, FIELD_PAST_END);
        }
        final int valueOffset = var.dataOffset;
        final int valueLength = var.dataLength;
        if (keyLength > maxKeyLength)
        {
            return writer.error(response, responseOffset, correlationId, ErrorCode.KEY_TOO_LARGE, KEY_TOO_LARGE);
        }
        if (valueLength > maxValueLength)
        {
            return writer.error(response, responseOffset, correlationId, ErrorCode.VALUE_TOO_LARGE, VALUE_TOO_LARGE);
        }
        final int mode;
        switch (condition)
        {
            case 0: mode = Store.PUT_ALWAYS; break;
            case 1: mode = Store.PUT_IF_ABSENT; break;
            case 2: mode = Store.PUT_IF_PRESENT; break;
            case 3: mode = Store.PUT_IF_VERSION; break;
            default:
                return writer.error(response, responseOffset, correlationId, ErrorCode.MALFORMED, BAD_CONDITION);
        }
        if (mode == Store.PUT_IF_VERSION && expectedVersion <= 0)
        {
            return writer.error(response, responseOffset, correlationId, ErrorCode.MALFORMED, BAD_VERSION);
        }
        final long nowMillis = clock.time();
        final long expiresAtMillis = expiresAtMillis(ttlMillis, nowMillis);
        if (expiresAtMillis < 0)
        {
            return writer.error(response, responseOffset, correlationId, ErrorCode.INVALID_TTL, INVALID_TTL);
        }
        final int routed = route(request, keyOffset, keyLength, flags, response, responseOffset);
        if (routed != NOT_ROUTED)
        {
            return routed;
        }
        meta.set(0, 0, 0);
        final long result = cache.put(
            request, keyOffset, keyLength, request, valueOffset, valueLength, expiresAtMillis, mode,
            mode == Store.PUT_IF_VERSION ? expectedVersion : 0, meta);
        if (result >= 0)
        {
            return writer.result(response, responseOffset, correlationId, ResultCode.OK, result,
                ttlMillis == 0 ? -1 : ttlMillis, 0);
        }
        switch ((int)result)
        {
            case Status.EXISTS:
                return writer.result(response, responseOffset, correlationId, ResultCode.EXISTS, meta.version(),
                    ttlRemainingMillis(meta.expiresAtMillis()), 0);
            case Status.MISS:
                return writer.result(response, responseOffset, correlationId, ResultCode.NOT_FOUND, 0, -1, 0);
            case Status.VERSION_MISMATCH:
                return writer.result(response, responseOffset, correlationId, ResultCode.VERSION_MISMATCH,
                    meta.version(), ttlRemainingMillis(meta.expiresAtMillis()), 0);
            default:
                return engineError(result, response, responseOffset);
        }
    }

    private int onDelete(
        final DirectBuffer request, final int end, final MutableDirectBuffer response, final int responseOffset)
    {
        final int flags = deleteDecoder.flags().getRaw();
        final long expectedVersion = deleteDecoder.expectedVersion();
        if (var.readVarData(request, deleteDecoder.limit(), end) < 0)
        {
            return writer.error(response, responseOffset, correlationId, ErrorCode.MALFORMED, FIELD_PAST_END);
        }
        final int keyOffset = var.dataOffset;
        final int keyLength = var.dataLength;
        if (keyLength > maxKeyLength)
        {
            return writer.error(response, responseOffset, correlationId, ErrorCode.KEY_TOO_LARGE, KEY_TOO_LARGE);
        }
        if (expectedVersion < 0)
        {
            return writer.error(response, responseOffset, correlationId, ErrorCode.MALFORMED, BAD_VERSION);
        }
        final int routed = route(request, keyOffset, keyLength, flags, response, responseOffset);
        if (routed != NOT_ROUTED)
        {
            return routed;
        }
        final long result = expectedVersion == 0 ?
            cache.remove(request, keyOffset, keyLength) :
            cache.remove(request, keyOffset, keyLength, expectedVersion);
        if (result >= 0)
        {
            return writer.result(response, responseOffset, correlationId, ResultCode.OK, result, -1, 0);
        }
        switch ((int)result)
        {
            case Status.MISS:
                return writer.result(response, responseOffset, correlationId, ResultCode.NOT_FOUND, 0, -1, 0);
            case Status.VERSION_MISMATCH:
                return writer.result(response, responseOffset, correlationId, ResultCode.VERSION_MISMATCH, 0, -1, 0);
            default:
                return engineError(result, response, responseOffset);
        }
    }

    private int onTouch(final DirectBuffer request, final int end, final MutableDirectBuffer response, final int responseOffset)
    {
        final int flags = touchDecoder.flags().getRaw();
        final long ttlMillis = touchDecoder.ttlMillis();
        if (var.readVarData(request, touchDecoder.limit(), end) < 0)
        {
            return writer.error(response, responseOffset, correlationId, ErrorCode.MALFORMED, FIELD_PAST_END);
        }
        final int keyOffset = var.dataOffset;
        final int keyLength = var.dataLength;
        if (keyLength > maxKeyLength)
        {
            return writer.error(response, responseOffset, correlationId, ErrorCode.KEY_TOO_LARGE, KEY_TOO_LARGE);
        }
        final long expiresAtMillis = expiresAtMillis(ttlMillis, clock.time());
        if (expiresAtMillis < 0)
        {
            return writer.error(response, responseOffset, correlationId, ErrorCode.INVALID_TTL, INVALID_TTL);
        }
        final int routed = route(request, keyOffset, keyLength, flags, response, responseOffset);
        if (routed != NOT_ROUTED)
        {
            return routed;
        }
        final long result = cache.touch(request, keyOffset, keyLength, expiresAtMillis);
        if (result >= 0)
        {
            return writer.result(response, responseOffset, correlationId, ResultCode.OK, result,
                ttlMillis == 0 ? -1 : ttlMillis, 0);
        }
        if (result == Status.MISS)
        {
            return writer.result(response, responseOffset, correlationId, ResultCode.NOT_FOUND, 0, -1, 0);
        }
        return engineError(result, response, responseOffset);
    }

    private int onIncrement(
        final DirectBuffer request, final int end, final MutableDirectBuffer response, final int responseOffset)
    {
        final int flags = incrementDecoder.flags().getRaw();
        final long delta = incrementDecoder.delta();
        final long initialValue = incrementDecoder.initialValue();
        final long ttlMillis = incrementDecoder.ttlMillis();
        if (var.readVarData(request, incrementDecoder.limit(), end) < 0)
        {
            return writer.error(response, responseOffset, correlationId, ErrorCode.MALFORMED, FIELD_PAST_END);
        }
        final int keyOffset = var.dataOffset;
        final int keyLength = var.dataLength;
        if (keyLength > maxKeyLength)
        {
            return writer.error(response, responseOffset, correlationId, ErrorCode.KEY_TOO_LARGE, KEY_TOO_LARGE);
        }
        final long expiresAtMillis = expiresAtMillis(ttlMillis, clock.time());
        if (expiresAtMillis < 0)
        {
            return writer.error(response, responseOffset, correlationId, ErrorCode.INVALID_TTL, INVALID_TTL);
        }
        final int routed = route(request, keyOffset, keyLength, flags, response, responseOffset);
        if (routed != NOT_ROUTED)
        {
            return routed;
        }
        // Lock-free: each lost race means another writer changed the key and so made progress.
        for (int attempt = 0; attempt < INCREMENT_MAX_ATTEMPTS; attempt++)
        {
            final int currentLength = cache.get(request, keyOffset, keyLength, numberScratch, 0, meta);
            if (currentLength == Status.MISS)
            {
                final int length = numberScratch.putLongAscii(0, initialValue);
                final long created = cache.putIfAbsent(
                    request, keyOffset, keyLength, numberScratch, 0, length, expiresAtMillis);
                if (created >= 0)
                {
                    return writer.result(response, responseOffset, correlationId, ResultCode.OK, created,
                        ttlMillis == 0 ? -1 : ttlMillis, initialValue);
                }
                if (created != Status.EXISTS)
                {
                    return engineError(created, response, responseOffset);
                }
                continue;
            }
            if (currentLength == Status.BUFFER_TOO_SMALL)
            {
                return writer.error(response, responseOffset, correlationId, ErrorCode.NOT_A_NUMBER, NOT_A_NUMBER);
            }
            if (currentLength < 0)
            {
                return engineError(currentLength, response, responseOffset);
            }
            final int parsed = decimal.parse(numberScratch, 0, currentLength);
            if (parsed == DecimalAscii.NOT_A_NUMBER)
            {
                return writer.error(response, responseOffset, correlationId, ErrorCode.NOT_A_NUMBER, NOT_A_NUMBER);
            }
            final long sum = decimal.value + delta;
            if (parsed == DecimalAscii.OVERFLOW || ((decimal.value ^ sum) & (delta ^ sum)) < 0)
            {
                return writer.error(response, responseOffset, correlationId, ErrorCode.NUMBER_OVERFLOW, NUMBER_OVERFLOW);
            }
            final long keptExpiresAtMillis = meta.expiresAtMillis();
            final long expectedVersion = meta.version();
            final int length = numberScratch.putLongAscii(0, sum);
            final long written = cache.compareAndSet(
                request, keyOffset, keyLength, numberScratch, 0, length, keptExpiresAtMillis, expectedVersion);
            if (written >= 0)
            {
                return writer.result(response, responseOffset, correlationId, ResultCode.OK, written,
                    ttlRemainingMillis(keptExpiresAtMillis), sum);
            }
            if (written != Status.VERSION_MISMATCH && written != Status.MISS)
            {
                return engineError(written, response, responseOffset);
            }
        }
        return writer.error(response, responseOffset, correlationId, ErrorCode.UNAVAILABLE, CONTENDED);
    }

    private int onTopology(final MutableDirectBuffer response, final int responseOffset)
    {
        final TopologyView view = topology.view();
        topologyEncoder.wrapAndApplyHeader(response, responseOffset, writer.header())
            .correlationId(correlationId)
            .epoch(view.epoch());
        final SlotTable table = view.table();
        final TopologyResponseEncoder.NodesEncoder nodes = topologyEncoder.nodesCount(table.nodes().size());
        for (int i = 0, size = table.nodes().size(); i < size; i++)
        {
            final int id = table.nodes().get(i).nodeId();
            final byte[] endpoint = view.endpointUtf8(id);
            nodes.next().nodeId(id).putEndpoint(endpoint, 0, endpoint.length);
        }
        final TopologyResponseEncoder.SlotRangesEncoder ranges = topologyEncoder.slotRangesCount(view.rangeCount());
        for (int range = 0; range < view.rangeCount(); range++)
        {
            ranges.next()
                .firstSlot(view.rangeFirstSlot(range))
                .lastSlot(view.rangeLastSlot(range))
                .ownerNodeId(view.rangeOwner(range));
        }
        return HEADER_LENGTH + topologyEncoder.encodedLength();
    }

    private int onStats(final MutableDirectBuffer response, final int responseOffset)
    {
        final CacheStats stats = cache.stats(); // allocates one record: stats are not on the hot path
        final long[] engineValues = {
            stats.hits(), stats.misses(), stats.puts(), stats.removes(), stats.evictions(), stats.expirations(),
            stats.relocations(), stats.entries(), stats.bytesInUse(), stats.capacityBytes(), stats.allocatedBytes() };
        statsEncoder.wrapAndApplyHeader(response, responseOffset, writer.header())
            .correlationId(correlationId)
            .nodeId(nodeId);
        final StatsResponseEncoder.CountersEncoder group =
            statsEncoder.countersCount(counters.count() + engineValues.length);
        for (int i = 0; i < counters.count(); i++)
        {
            final byte[] name = counters.nameUtf8(i);
            group.next().value(counters.get(i)).putName(name, 0, name.length);
        }
        for (int i = 0; i < engineValues.length; i++)
        {
            group.next().value(engineValues[i]).putName(ENGINE_STAT_NAMES[i], 0, ENGINE_STAT_NAMES[i].length);
        }
        return HEADER_LENGTH + statsEncoder.encodedLength();
    }

    /**
     * Decides whether this node serves a key.
     *
     * @return {@link #NOT_ROUTED} to serve it here, {@link #FORWARD}, or the length of a MOVED answer.
     */
    private int route(
        final DirectBuffer request, final int keyOffset, final int keyLength, final int flags,
        final MutableDirectBuffer response, final int responseOffset)
    {
        final TopologyView view = topology.view();
        final int slot = SlotTable.slotOf(request, keyOffset, keyLength);
        final int owner = view.table().ownerOf(slot);
        if (owner == nodeId)
        {
            return NOT_ROUTED;
        }
        movedSlot = slot;
        movedOwner = owner;
        if (isProxyRequest(flags))
        {
            forwardNodeId = owner;
            return FORWARD;
        }
        return writer.moved(response, responseOffset, correlationId, slot, owner, view.epoch(), view.endpointUtf8(owner));
    }

    /**
     * Answers MOVED for the last request that {@link #handle} wanted forwarded (the owner cannot be reached
     * or the node is not proxying). Only valid right after {@link #FORWARD} for a single-key request.
     */
    public int movedForLastRequest(final MutableDirectBuffer response, final int responseOffset)
    {
        final TopologyView view = topology.view();
        return writer.moved(response, responseOffset, correlationId, movedSlot, movedOwner, view.epoch(),
            view.endpointUtf8(movedOwner));
    }

    private static boolean isProxyRequest(final int flags)
    {
        // A forwarded request is never forwarded again: one hop at most, so no loops between tables that disagree.
        return (flags & FLAG_PROXY) != 0 && (flags & FLAG_FORWARDED) == 0;
    }

    private int engineError(final long status, final MutableDirectBuffer response, final int responseOffset)
    {
        switch ((int)status)
        {
            case Status.KEY_TOO_LARGE:
                return writer.error(response, responseOffset, correlationId, ErrorCode.KEY_TOO_LARGE, KEY_TOO_LARGE);
            case Status.VALUE_TOO_LARGE:
                return writer.error(response, responseOffset, correlationId, ErrorCode.VALUE_TOO_LARGE, VALUE_TOO_LARGE);
            case Status.INVALID_TTL:
                return writer.error(response, responseOffset, correlationId, ErrorCode.INVALID_TTL, INVALID_TTL);
            case Status.FULL:
                return writer.error(response, responseOffset, correlationId, ErrorCode.FULL, FULL);
            case Status.BUFFER_TOO_SMALL:
                return writer.error(response, responseOffset, correlationId, ErrorCode.RESPONSE_TOO_LARGE, TOO_LARGE_ANSWER);
            default:
                return writer.error(response, responseOffset, correlationId, ErrorCode.INTERNAL, INTERNAL);
        }
    }

    /** @return absolute expiry (0 = never), or -1 when the TTL is negative or overflows. */
    static long expiresAtMillis(final long ttlMillis, final long nowMillis)
    {
        if (ttlMillis < 0 || ttlMillis > Long.MAX_VALUE - nowMillis)
        {
            return -1;
        }
        return ttlMillis == 0 ? 0 : nowMillis + ttlMillis;
    }

    private long ttlRemainingMillis(final long expiresAtMillis)
    {
        return expiresAtMillis == 0 ? -1 : Math.max(0, expiresAtMillis - clock.time());
    }

    static int headerLength()
    {
        return MessageHeaderEncoder.ENCODED_LENGTH;
    }
}
