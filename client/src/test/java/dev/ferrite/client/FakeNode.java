package dev.ferrite.client;

import dev.ferrite.transport.ProtocolConstants;
import dev.ferrite.transport.routing.NodeEndpoint;
import dev.ferrite.transport.routing.SlotTable;
import dev.ferrite.transport.sbe.*;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A test-only node built from the SBE codecs, over real Aeron: sessions (hello, optional challenge),
 * the keyed operations on a HashMap, MOVED for slots it does not own (unless the proxy flag is set: then
 * it serves the key itself, standing in for a proxy), ping, topology and stats. One thread per fake.
 * Knobs for tests: {@link #answerDelayMs}, {@link #silent}.
 */
final class FakeNode implements AutoCloseable
{
    private record Entry(byte[] value, long version, long expiresAtMs)
    {
    }

    private final int nodeId;
    private final byte[] secret;
    private final Aeron aeron;
    private final Subscription subscription;
    private final String hostPort;
    private final Map<Integer, Publication> replyBySession = new HashMap<>();
    private final Map<Integer, byte[]> nonceBySession = new HashMap<>();
    private final Map<Integer, Long> clientIdBySession = new HashMap<>();
    private final Map<Integer, Boolean> openBySession = new HashMap<>();
    private final Map<String, Entry> entries = new HashMap<>();
    private final ExpandableDirectByteBuffer out = new ExpandableDirectByteBuffer(1024);
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final AtomicLong versions = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile SlotTable table;
    volatile long answerDelayMs;
    volatile boolean silent;
    final AtomicInteger requestsServed = new AtomicInteger();
    final AtomicInteger proxiedRequests = new AtomicInteger();
    final AtomicInteger movedAnswers = new AtomicInteger();

    FakeNode(final int nodeId, final String aeronDirectory, final String secretOrNull)
    {
        this.nodeId = nodeId;
        this.secret = secretOrNull == null ? null : secretOrNull.getBytes(StandardCharsets.UTF_8);
        this.aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDirectory));
        this.subscription = aeron.addSubscription("aeron:udp?endpoint=127.0.0.1:0", ProtocolConstants.REQUEST_STREAM_ID);
        String resolved;
        while ((resolved = subscription.tryResolveChannelEndpointPort()) == null)
        {
            Thread.onSpinWait();
        }
        this.hostPort = resolved.substring(resolved.indexOf("endpoint=") + "endpoint=".length());
        final FragmentAssembler assembler = new FragmentAssembler(this::onRequest);
        final org.agrona.concurrent.IdleStrategy idle = dev.ferrite.transport.aeron.IdleStrategies.create("backoff");
        thread = new Thread(() ->
        {
            while (running)
            {
                idle.idle(subscription.poll(assembler, 16));
            }
        }, "fake-node-" + nodeId);
        thread.setDaemon(true);
        thread.start();
    }

    String hostPort()
    {
        return hostPort;
    }

    NodeEndpoint endpoint()
    {
        final int colon = hostPort.lastIndexOf(':');
        return new NodeEndpoint(nodeId, hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    void applyTopology(final SlotTable table)
    {
        this.table = table;
    }

    private void onRequest(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        headerDecoder.wrap(buffer, offset);
        final int templateId = headerDecoder.templateId();
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        final int session = header.sessionId();
        final long correlationId = buffer.getLong(bodyOffset, java.nio.ByteOrder.LITTLE_ENDIAN);
        if (silent)
        {
            return;
        }
        if (answerDelayMs > 0)
        {
            sleep(answerDelayMs);
        }
        if (templateId == HelloRequestDecoder.TEMPLATE_ID)
        {
            final HelloRequestDecoder hello = new HelloRequestDecoder().wrap(buffer, bodyOffset, blockLength, version);
            final long clientId = hello.clientId();
            final int streamId = hello.responseStreamId();
            final String channel = hello.responseChannel();
            final Publication reply = aeron.addPublication(channel, streamId);
            final long deadline = System.currentTimeMillis() + 3000;
            while (!reply.isConnected() && System.currentTimeMillis() < deadline)
            {
                sleep(1);
            }
            replyBySession.put(session, reply);
            clientIdBySession.put(session, clientId);
            if (secret == null)
            {
                openBySession.put(session, true);
                welcome(reply, correlationId);
            }
            else
            {
                final byte[] nonce = new byte[ProtocolConstants.NONCE_LENGTH];
                ThreadLocalRandom.current().nextBytes(nonce);
                nonceBySession.put(session, nonce);
                final ChallengeResponseEncoder challenge = new ChallengeResponseEncoder().wrapAndApplyHeader(out, 0, headerEncoder);
                challenge.correlationId(correlationId).nodeId(nodeId).putServerNonce(nonce, 0, nonce.length);
                send(reply, challenge.encodedLength());
            }
            return;
        }
        final Publication reply = replyBySession.get(session);
        if (reply == null)
        {
            return;
        }
        if (templateId == AuthenticateRequestDecoder.TEMPLATE_ID)
        {
            final AuthenticateRequestDecoder auth = new AuthenticateRequestDecoder().wrap(buffer, bodyOffset, blockLength, version);
            final byte[] clientNonce = new byte[auth.clientNonceLength()];
            auth.getClientNonce(clientNonce, 0, clientNonce.length);
            final byte[] proof = new byte[auth.proofLength()];
            auth.getProof(proof, 0, proof.length);
            final byte[] expected = AuthProof.proof(secret, nonceBySession.get(session), clientNonce, clientIdBySession.get(session));
            if (MessageDigest.isEqual(expected, proof))
            {
                openBySession.put(session, true);
                welcome(reply, correlationId);
            }
            else
            {
                error(reply, correlationId, ErrorCode.AUTHENTICATION_FAILED, "bad proof");
            }
            return;
        }
        if (!openBySession.getOrDefault(session, false))
        {
            error(reply, correlationId, ErrorCode.NOT_AUTHENTICATED, "say hello first");
            return;
        }
        requestsServed.incrementAndGet();
        switch (templateId)
        {
            case GetRequestDecoder.TEMPLATE_ID:
            {
                final GetRequestDecoder get = new GetRequestDecoder().wrap(buffer, bodyOffset, blockLength, version);
                final boolean proxy = get.flags().proxy();
                final byte[] key = new byte[get.keyLength()];
                get.getKey(key, 0, key.length);
                if (!owns(reply, correlationId, key, proxy))
                {
                    return;
                }
                final Entry entry = live(key);
                value(reply, correlationId, entry == null ? ResultCode.NOT_FOUND : ResultCode.OK, entry, 0, entry == null ? null : entry.value);
                return;
            }
            case SetRequestDecoder.TEMPLATE_ID:
            {
                final SetRequestDecoder set = new SetRequestDecoder().wrap(buffer, bodyOffset, blockLength, version);
                final boolean proxy = set.flags().proxy();
                final SetCondition condition = set.condition();
                final long ttlMillis = set.ttlMillis();
                final long expectedVersion = set.expectedVersion();
                final byte[] key = new byte[set.keyLength()];
                set.getKey(key, 0, key.length);
                final byte[] value = new byte[set.valueLength()];
                set.getValue(value, 0, value.length);
                if (!owns(reply, correlationId, key, proxy))
                {
                    return;
                }
                final Entry current = live(key);
                ResultCode result = ResultCode.OK;
                if (condition == SetCondition.IF_ABSENT && current != null)
                {
                    result = ResultCode.EXISTS;
                }
                else if (condition == SetCondition.IF_PRESENT && current == null)
                {
                    result = ResultCode.NOT_FOUND;
                }
                else if (condition == SetCondition.IF_VERSION && (current == null || current.version != expectedVersion))
                {
                    result = ResultCode.VERSION_MISMATCH;
                }
                Entry entry = current;
                if (result == ResultCode.OK)
                {
                    entry = new Entry(value, versions.incrementAndGet(), ttlMillis == 0 ? 0 : System.currentTimeMillis() + ttlMillis);
                    entries.put(name(key), entry);
                }
                value(reply, correlationId, result, entry, 0, null);
                return;
            }
            case DeleteRequestDecoder.TEMPLATE_ID:
            {
                final DeleteRequestDecoder delete = new DeleteRequestDecoder().wrap(buffer, bodyOffset, blockLength, version);
                final boolean proxy = delete.flags().proxy();
                final long expectedVersion = delete.expectedVersion();
                final byte[] key = new byte[delete.keyLength()];
                delete.getKey(key, 0, key.length);
                if (!owns(reply, correlationId, key, proxy))
                {
                    return;
                }
                final Entry current = live(key);
                ResultCode result = ResultCode.OK;
                if (current == null)
                {
                    result = ResultCode.NOT_FOUND;
                }
                else if (expectedVersion != 0 && current.version != expectedVersion)
                {
                    result = ResultCode.VERSION_MISMATCH;
                }
                else
                {
                    entries.remove(name(key));
                }
                value(reply, correlationId, result, null, 0, null);
                return;
            }
            case TouchRequestDecoder.TEMPLATE_ID:
            {
                final TouchRequestDecoder touch = new TouchRequestDecoder().wrap(buffer, bodyOffset, blockLength, version);
                final boolean proxy = touch.flags().proxy();
                final long ttlMillis = touch.ttlMillis();
                final byte[] key = new byte[touch.keyLength()];
                touch.getKey(key, 0, key.length);
                if (!owns(reply, correlationId, key, proxy))
                {
                    return;
                }
                final Entry current = live(key);
                Entry touched = null;
                if (current != null)
                {
                    touched = new Entry(current.value, current.version, ttlMillis == 0 ? 0 : System.currentTimeMillis() + ttlMillis);
                    entries.put(name(key), touched);
                }
                value(reply, correlationId, current == null ? ResultCode.NOT_FOUND : ResultCode.OK, touched, 0, null);
                return;
            }
            case IncrementRequestDecoder.TEMPLATE_ID:
            {
                final IncrementRequestDecoder increment = new IncrementRequestDecoder().wrap(buffer, bodyOffset, blockLength, version);
                final boolean proxy = increment.flags().proxy();
                final long delta = increment.delta();
                final long initialValue = increment.initialValue();
                final long ttlMillis = increment.ttlMillis();
                final byte[] key = new byte[increment.keyLength()];
                increment.getKey(key, 0, key.length);
                if (!owns(reply, correlationId, key, proxy))
                {
                    return;
                }
                final Entry current = live(key);
                final long next;
                try
                {
                    next = current == null ? initialValue : Long.parseLong(new String(current.value, StandardCharsets.US_ASCII)) + delta;
                }
                catch (final NumberFormatException ex)
                {
                    error(reply, correlationId, ErrorCode.NOT_A_NUMBER, "not a decimal integer");
                    return;
                }
                final Entry entry = new Entry(Long.toString(next).getBytes(StandardCharsets.US_ASCII), versions.incrementAndGet(),
                    current != null ? current.expiresAtMs : ttlMillis == 0 ? 0 : System.currentTimeMillis() + ttlMillis);
                entries.put(name(key), entry);
                value(reply, correlationId, ResultCode.OK, entry, next, null);
                return;
            }
            case MultiGetRequestDecoder.TEMPLATE_ID:
            {
                final MultiGetRequestDecoder multiGet = new MultiGetRequestDecoder().wrap(buffer, bodyOffset, blockLength, version);
                final boolean proxy = multiGet.flags().proxy();
                final java.util.List<byte[]> keys = new java.util.ArrayList<>();
                for (final MultiGetRequestDecoder.KeysDecoder k : multiGet.keys())
                {
                    final byte[] key = new byte[k.keyLength()];
                    k.getKey(key, 0, key.length);
                    keys.add(key);
                }
                final MultiGetResponseEncoder response = new MultiGetResponseEncoder().wrapAndApplyHeader(out, 0, headerEncoder);
                response.correlationId(correlationId);
                final MultiGetResponseEncoder.EntriesEncoder group = response.entriesCount(keys.size());
                for (final byte[] key : keys)
                {
                    final SlotTable current = table;
                    final int slot = SlotTable.slotOf(new UnsafeBuffer(key), 0, key.length);
                    final boolean moved = !proxy && current != null && current.ownerOf(slot) != nodeId;
                    final Entry entry = moved ? null : live(key);
                    group.next()
                        .result(moved ? ResultCode.MOVED : entry == null ? ResultCode.NOT_FOUND : ResultCode.OK)
                        .errorCode(ErrorCode.NONE)
                        .version(entry == null ? 0 : entry.version)
                        .ttlRemainingMillis(ttl(entry))
                        .ownerNodeId(moved ? current.ownerOf(slot) : nodeId)
                        .putValue(entry == null ? new byte[0] : entry.value, 0, entry == null ? 0 : entry.value.length);
                }
                send(reply, response.encodedLength());
                return;
            }
            case PingRequestDecoder.TEMPLATE_ID:
            {
                final PingRequestDecoder ping = new PingRequestDecoder().wrap(buffer, bodyOffset, blockLength, version);
                final PongResponseEncoder pong = new PongResponseEncoder().wrapAndApplyHeader(out, 0, headerEncoder);
                pong.correlationId(correlationId).nodeId(nodeId).sentNanos(ping.sentNanos());
                send(reply, pong.encodedLength());
                return;
            }
            case TopologyRequestDecoder.TEMPLATE_ID:
            {
                final SlotTable current = table;
                final TopologyResponseEncoder response = new TopologyResponseEncoder().wrapAndApplyHeader(out, 0, headerEncoder);
                response.correlationId(correlationId).epoch(current.epoch());
                final TopologyResponseEncoder.NodesEncoder nodes = response.nodesCount(current.nodes().size());
                for (final NodeEndpoint node : current.nodes())
                {
                    nodes.next().nodeId(node.nodeId()).endpoint(node.endpoint());
                }
                final java.util.List<int[]> ranges = new java.util.ArrayList<>();
                int first = 0;
                for (int slot = 1; slot <= SlotTable.SLOT_COUNT; slot++)
                {
                    if (slot == SlotTable.SLOT_COUNT || current.ownerOf(slot) != current.ownerOf(first))
                    {
                        ranges.add(new int[]{ first, slot - 1, current.ownerOf(first) });
                        first = slot;
                    }
                }
                final TopologyResponseEncoder.SlotRangesEncoder rangeEncoder = response.slotRangesCount(ranges.size());
                for (final int[] range : ranges)
                {
                    rangeEncoder.next().firstSlot(range[0]).lastSlot(range[1]).ownerNodeId(range[2]);
                }
                send(reply, response.encodedLength());
                return;
            }
            case StatsRequestDecoder.TEMPLATE_ID:
            {
                final StatsResponseEncoder response = new StatsResponseEncoder().wrapAndApplyHeader(out, 0, headerEncoder);
                response.correlationId(correlationId).nodeId(nodeId);
                final StatsResponseEncoder.CountersEncoder counters = response.countersCount(2);
                counters.next().value(entries.size()).name("entries");
                counters.next().value(requestsServed.get()).name("requests");
                send(reply, response.encodedLength());
                return;
            }
            default:
                error(reply, correlationId, ErrorCode.UNKNOWN_MESSAGE, "template " + templateId);
        }
    }

    /** Answers MOVED and returns false when another node owns the key's slot and the request may not be proxied. */
    private boolean owns(final Publication reply, final long correlationId, final byte[] key, final boolean proxy)
    {
        final SlotTable current = table;
        final int slot = SlotTable.slotOf(new UnsafeBuffer(key), 0, key.length);
        if (current == null || current.ownerOf(slot) == nodeId)
        {
            return true;
        }
        if (proxy)
        {
            proxiedRequests.incrementAndGet();
            return true;
        }
        movedAnswers.incrementAndGet();
        final NodeEndpoint owner = current.node(current.ownerOf(slot));
        final MovedResponseEncoder moved = new MovedResponseEncoder().wrapAndApplyHeader(out, 0, headerEncoder);
        moved.correlationId(correlationId).slot(slot).ownerNodeId(owner.nodeId()).topologyEpoch(current.epoch()).ownerEndpoint(owner.endpoint());
        send(reply, moved.encodedLength());
        return false;
    }

    private Entry live(final byte[] key)
    {
        final Entry entry = entries.get(name(key));
        if (entry != null && entry.expiresAtMs != 0 && entry.expiresAtMs <= System.currentTimeMillis())
        {
            entries.remove(name(key));
            return null;
        }
        return entry;
    }

    private static long ttl(final Entry entry)
    {
        return entry == null || entry.expiresAtMs == 0 ? -1 : Math.max(0, entry.expiresAtMs - System.currentTimeMillis());
    }

    private static String name(final byte[] key)
    {
        return new String(key, StandardCharsets.ISO_8859_1);
    }

    private void welcome(final Publication reply, final long correlationId)
    {
        final WelcomeResponseEncoder welcome = new WelcomeResponseEncoder().wrapAndApplyHeader(out, 0, headerEncoder);
        final SlotTable current = table;
        welcome.correlationId(correlationId).nodeId(nodeId).topologyEpoch(current == null ? 0 : current.epoch())
            .maxKeyLength(65536).maxValueLength(1 << 20);
        send(reply, welcome.encodedLength());
    }

    private void value(
        final Publication reply, final long correlationId, final ResultCode result, final Entry entry, final long numeric, final byte[] value)
    {
        final ValueResponseEncoder response = new ValueResponseEncoder().wrapAndApplyHeader(out, 0, headerEncoder);
        response.correlationId(correlationId).result(result).version(entry == null ? 0 : entry.version)
            .ttlRemainingMillis(ttl(entry)).numericValue(numeric);
        response.putValue(value == null ? new byte[0] : value, 0, value == null ? 0 : value.length);
        send(reply, response.encodedLength());
    }

    private void error(final Publication reply, final long correlationId, final ErrorCode code, final String message)
    {
        final ErrorResponseEncoder error = new ErrorResponseEncoder().wrapAndApplyHeader(out, 0, headerEncoder);
        error.correlationId(correlationId).code(code).message(message);
        send(reply, error.encodedLength());
    }

    private void send(final Publication reply, final int bodyLength)
    {
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + bodyLength;
        final long deadline = System.currentTimeMillis() + 1000;
        while (reply.offer(out, 0, length) < 0 && System.currentTimeMillis() < deadline)
        {
            Thread.onSpinWait();
        }
    }

    private static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close()
    {
        running = false;
        try
        {
            thread.join(2000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        replyBySession.values().forEach(Publication::close);
        subscription.close();
        aeron.close();
    }
}
