package dev.ferrite.node.server;

import dev.ferrite.transport.sbe.ErrorCode;
import dev.ferrite.transport.sbe.ErrorResponseDecoder;
import dev.ferrite.transport.sbe.MovedResponseDecoder;
import dev.ferrite.transport.sbe.MultiGetResponseDecoder;
import dev.ferrite.transport.sbe.PongResponseDecoder;
import dev.ferrite.transport.sbe.ResultCode;
import dev.ferrite.transport.sbe.SetCondition;
import dev.ferrite.transport.sbe.StatsResponseDecoder;
import dev.ferrite.transport.sbe.TopologyResponseDecoder;
import dev.ferrite.transport.sbe.ValueResponseDecoder;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.ferrite.node.server.HandlerFixture.OTHER;
import static dev.ferrite.node.server.HandlerFixture.SELF;
import static dev.ferrite.node.server.HandlerFixture.keyOwnedBy;
import static dev.ferrite.node.server.Requests.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestHandlerTest
{
    private final HandlerFixture f = new HandlerFixture(false);

    @AfterEach
    void close()
    {
        f.close();
    }

    private int set(final long correlationId, final SetCondition condition, final long ttlMillis, final long expectedVersion,
        final String key, final String value)
    {
        return f.serve(f.requests.set(f.request, correlationId, 0, condition, ttlMillis, expectedVersion, bytes(key), bytes(value)));
    }

    private int get(final long correlationId, final String key)
    {
        return f.serve(f.requests.get(f.request, correlationId, 0, bytes(key)));
    }

    private static String text(final MultiGetResponseDecoder.EntriesDecoder entries)
    {
        final byte[] bytes = new byte[entries.valueLength()];
        entries.getValue(bytes, 0, bytes.length);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void shouldStoreAndReturnValueWithVersionAndCorrelationId()
    {
        assertEquals(ValueResponseDecoder.TEMPLATE_ID, set(11, SetCondition.ALWAYS, 0, 0, "k", "hello"));
        assertEquals(11, f.value.correlationId());
        assertEquals(ResultCode.OK, f.value.result());
        final long version = f.value.version();
        assertTrue(version > 0);
        assertEquals(-1, f.value.ttlRemainingMillis());

        assertEquals(ValueResponseDecoder.TEMPLATE_ID, get(12, "k"));
        assertEquals(12, f.value.correlationId());
        assertEquals(ResultCode.OK, f.value.result());
        assertEquals(version, f.value.version());
        assertArrayEquals(bytes("hello"), f.valueBytes());
        assertEquals(1, f.counters.get(NodeCounters.HITS));
    }

    @Test
    void shouldAnswerNotFoundForMissingKey()
    {
        assertEquals(ValueResponseDecoder.TEMPLATE_ID, get(5, "absent"));
        assertEquals(ResultCode.NOT_FOUND, f.value.result());
        assertEquals(0, f.value.valueLength());
        assertEquals(1, f.counters.get(NodeCounters.MISSES));
    }

    @Test
    void shouldHonourIfAbsentAndIfPresent()
    {
        set(1, SetCondition.IF_PRESENT, 0, 0, "k", "a");
        assertEquals(ResultCode.NOT_FOUND, f.value.result());
        set(2, SetCondition.IF_ABSENT, 0, 0, "k", "a");
        assertEquals(ResultCode.OK, f.value.result());
        final long version = f.value.version();
        set(3, SetCondition.IF_ABSENT, 0, 0, "k", "b");
        assertEquals(ResultCode.EXISTS, f.value.result());
        assertEquals(version, f.value.version());
        set(4, SetCondition.IF_PRESENT, 0, 0, "k", "c");
        assertEquals(ResultCode.OK, f.value.result());
        get(5, "k");
        assertArrayEquals(bytes("c"), f.valueBytes());
    }

    @Test
    void shouldHonourIfVersion()
    {
        set(1, SetCondition.IF_VERSION, 0, 7, "k", "a");
        assertEquals(ResultCode.NOT_FOUND, f.value.result());
        set(2, SetCondition.ALWAYS, 0, 0, "k", "a");
        final long version = f.value.version();
        set(3, SetCondition.IF_VERSION, 0, version + 100, "k", "b");
        assertEquals(ResultCode.VERSION_MISMATCH, f.value.result());
        assertEquals(version, f.value.version());
        set(4, SetCondition.IF_VERSION, 0, version, "k", "b");
        assertEquals(ResultCode.OK, f.value.result());
        assertTrue(f.value.version() > version);
    }

    @Test
    void shouldExpireByTtlAndReportRemainingTime()
    {
        set(1, SetCondition.ALWAYS, 5_000, 0, "k", "v");
        assertEquals(5_000, f.value.ttlRemainingMillis());
        f.clock.advance(2_000);
        get(2, "k");
        assertEquals(ResultCode.OK, f.value.result());
        assertEquals(3_000, f.value.ttlRemainingMillis());
        f.clock.advance(3_001);
        get(3, "k");
        assertEquals(ResultCode.NOT_FOUND, f.value.result());
    }

    @Test
    void shouldTouchLiveKeysOnly()
    {
        f.serve(f.requests.touch(f.request, 1, 1_000, bytes("k")));
        assertEquals(ResultCode.NOT_FOUND, f.value.result());
        set(2, SetCondition.ALWAYS, 1_000, 0, "k", "v");
        f.serve(f.requests.touch(f.request, 3, 10_000, bytes("k")));
        assertEquals(ResultCode.OK, f.value.result());
        f.clock.advance(5_000);
        get(4, "k");
        assertEquals(ResultCode.OK, f.value.result());
        assertEquals(5_000, f.value.ttlRemainingMillis());
    }

    @Test
    void shouldDeleteAnyOrOnlyTheExpectedVersion()
    {
        f.serve(f.requests.delete(f.request, 1, 0, bytes("k")));
        assertEquals(ResultCode.NOT_FOUND, f.value.result());
        set(2, SetCondition.ALWAYS, 0, 0, "k", "v");
        final long version = f.value.version();
        f.serve(f.requests.delete(f.request, 3, version + 1, bytes("k")));
        assertEquals(ResultCode.VERSION_MISMATCH, f.value.result());
        f.serve(f.requests.delete(f.request, 4, version, bytes("k")));
        assertEquals(ResultCode.OK, f.value.result());
        assertEquals(version, f.value.version());
        get(5, "k");
        assertEquals(ResultCode.NOT_FOUND, f.value.result());
        set(6, SetCondition.ALWAYS, 0, 0, "k", "v");
        f.serve(f.requests.delete(f.request, 7, 0, bytes("k")));
        assertEquals(ResultCode.OK, f.value.result());
    }

    @Test
    void shouldIncrementFromInitialValueThenByDelta()
    {
        f.serve(f.requests.increment(f.request, 1, 5, 100, 0, bytes("n")));
        assertEquals(ResultCode.OK, f.value.result());
        assertEquals(100, f.value.numericValue());
        f.serve(f.requests.increment(f.request, 2, 5, 100, 0, bytes("n")));
        assertEquals(105, f.value.numericValue());
        f.serve(f.requests.increment(f.request, 3, -205, 0, 0, bytes("n")));
        assertEquals(-100, f.value.numericValue());
        get(4, "n");
        assertArrayEquals(bytes("-100"), f.valueBytes());
    }

    @Test
    void shouldRefuseIncrementOfNonNumbersAndOverflow()
    {
        set(1, SetCondition.ALWAYS, 0, 0, "text", "12a");
        assertEquals(ErrorResponseDecoder.TEMPLATE_ID, f.serve(f.requests.increment(f.request, 2, 1, 0, 0, bytes("text"))));
        assertEquals(ErrorCode.NOT_A_NUMBER, f.error.code());
        assertEquals(2, f.error.correlationId());

        set(3, SetCondition.ALWAYS, 0, 0, "long", "1".repeat(40));
        f.serve(f.requests.increment(f.request, 4, 1, 0, 0, bytes("long")));
        assertEquals(ErrorCode.NOT_A_NUMBER, f.error.code());

        set(5, SetCondition.ALWAYS, 0, 0, "max", Long.toString(Long.MAX_VALUE));
        f.serve(f.requests.increment(f.request, 6, 1, 0, 0, bytes("max")));
        assertEquals(ErrorCode.NUMBER_OVERFLOW, f.error.code());
        set(7, SetCondition.ALWAYS, 0, 0, "big", "99999999999999999999");
        f.serve(f.requests.increment(f.request, 8, 1, 0, 0, bytes("big")));
        assertEquals(ErrorCode.NUMBER_OVERFLOW, f.error.code());
        set(9, SetCondition.ALWAYS, 0, 0, "min", Long.toString(Long.MIN_VALUE));
        f.serve(f.requests.increment(f.request, 10, 1, 0, 0, bytes("min")));
        assertEquals(Long.MIN_VALUE + 1, f.value.numericValue());
    }

    @Test
    void shouldAnswerPingTopologyAndStats()
    {
        assertEquals(PongResponseDecoder.TEMPLATE_ID, f.serve(f.requests.ping(f.request, 9, 12345)));
        final PongResponseDecoder pong = new PongResponseDecoder().wrapAndApplyHeader(f.response, 0, f.header);
        assertEquals(9, pong.correlationId());
        assertEquals(SELF, pong.nodeId());
        assertEquals(12345, pong.sentNanos());

        assertEquals(TopologyResponseDecoder.TEMPLATE_ID, f.serve(f.requests.topology(f.request, 10)));
        final TopologyResponseDecoder topology = new TopologyResponseDecoder().wrapAndApplyHeader(f.response, 0, f.header);
        assertEquals(3, topology.epoch());
        final TopologyResponseDecoder.NodesDecoder nodes = topology.nodes();
        assertEquals(2, nodes.count());
        assertEquals(SELF, nodes.next().nodeId());
        assertEquals("127.0.0.1:7001", nodes.endpoint());
        assertEquals(OTHER, nodes.next().nodeId());
        assertEquals("127.0.0.1:7002", nodes.endpoint());
        final TopologyResponseDecoder.SlotRangesDecoder ranges = topology.slotRanges();
        assertEquals(1, ranges.count());
        ranges.next();
        assertEquals(0, ranges.firstSlot());
        assertEquals(16383, ranges.lastSlot());
        assertEquals(SELF, ranges.ownerNodeId());

        set(11, SetCondition.ALWAYS, 0, 0, "k", "v");
        get(12, "k");
        assertEquals(StatsResponseDecoder.TEMPLATE_ID, f.serve(f.requests.stats(f.request, 13)));
        final StatsResponseDecoder stats = new StatsResponseDecoder().wrapAndApplyHeader(f.response, 0, f.header);
        final Map<String, Long> byName = new HashMap<>();
        for (final StatsResponseDecoder.CountersDecoder counter : stats.counters())
        {
            final long value = counter.value();
            byName.put(counter.name(), value);
        }
        assertEquals(1L, byName.get("requests.get"));
        assertEquals(1L, byName.get("requests.set"));
        assertEquals(1L, byName.get("hits"));
        assertEquals(1L, byName.get("engine.puts"));
        assertEquals(1L, byName.get("engine.entries"));
    }

    @Test
    void shouldCarryOneMebibyteValues()
    {
        try (HandlerFixture large = new HandlerFixture(false, HandlerFixture.LARGE_CAPACITY_BYTES))
        {
            final byte[] big = new byte[1024 * 1024];
            ThreadLocalRandom.current().nextBytes(big);
            assertEquals(ValueResponseDecoder.TEMPLATE_ID,
                large.serve(large.requests.set(large.request, 1, 0, SetCondition.ALWAYS, 0, 0, bytes("big"), big)),
                () -> large.error.toString());
            assertEquals(ResultCode.OK, large.value.result());
            large.serve(large.requests.get(large.request, 2, 0, bytes("big")));
            assertArrayEquals(big, large.valueBytes());
        }
    }

    @Test
    void shouldAnswerMultiGetInOrder()
    {
        set(1, SetCondition.ALWAYS, 0, 0, "a", "A");
        set(2, SetCondition.ALWAYS, 0, 0, "c", "CC");
        assertEquals(MultiGetResponseDecoder.TEMPLATE_ID,
            f.serve(f.requests.multiGet(f.request, 3, 0, bytes("a"), bytes("b"), bytes("c"))));
        final MultiGetResponseDecoder multi = new MultiGetResponseDecoder().wrapAndApplyHeader(f.response, 0, f.header);
        assertEquals(3, multi.correlationId());
        final MultiGetResponseDecoder.EntriesDecoder entries = multi.entries();
        assertEquals(3, entries.count());
        assertEquals(ResultCode.OK, entries.next().result());
        assertEquals("A", text(entries));
        assertEquals(ResultCode.NOT_FOUND, entries.next().result());
        assertEquals("", text(entries));
        assertEquals(ResultCode.OK, entries.next().result());
        assertEquals("CC", text(entries));
    }

    @Test
    void shouldNotAllocatePerRequestOnTheHotPath()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final int setLength = f.requests.set(f.request, 1, 0, SetCondition.ALWAYS, 0, 0, bytes("key"), bytes("value"));
        final byte[] setCopy = new byte[setLength];
        f.request.getBytes(0, setCopy);
        final byte[] getCopy = new byte[64];
        final int getLength = f.requests.get(f.request, 2, 0, bytes("key"));
        f.request.getBytes(0, getCopy, 0, getLength);
        final byte[] incCopy = new byte[64];
        final int incLength = f.requests.increment(f.request, 3, 1, 0, 0, bytes("n"));
        f.request.getBytes(0, incCopy, 0, incLength);

        final Runnable round = () ->
        {
            f.request.putBytes(0, setCopy);
            f.handler.handle(f.request, 0, setLength, f.response, 0);
            f.request.putBytes(0, getCopy, 0, getLength);
            f.handler.handle(f.request, 0, getLength, f.response, 0);
            f.request.putBytes(0, incCopy, 0, incLength);
            f.handler.handle(f.request, 0, incLength, f.response, 0);
        };
        for (int i = 0; i < 20_000; i++)
        {
            round.run(); // warm up: the engine's thread-local scratch and the JIT
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++)
        {
            round.run();
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 10_000, "allocated " + allocated + " bytes over 30,000 requests");
    }

    @Test
    void shouldAnswerMovedForSlotsOfOtherNodes()
    {
        try (HandlerFixture split = new HandlerFixture(true))
        {
            final byte[] remote = keyOwnedBy(OTHER, "r");
            assertEquals(MovedResponseDecoder.TEMPLATE_ID, split.serve(split.requests.get(split.request, 4, 0, remote)));
            assertEquals(4, split.moved.correlationId());
            assertEquals(OTHER, split.moved.ownerNodeId());
            assertEquals(3, split.moved.topologyEpoch());
            assertEquals(dev.ferrite.transport.routing.SlotTable.slotOf(new org.agrona.concurrent.UnsafeBuffer(remote), 0,
                remote.length), split.moved.slot());
            assertEquals("127.0.0.1:7002", split.moved.ownerEndpoint());
            assertEquals(1, split.counters.get(NodeCounters.MOVED_SENT));

            final byte[] local = keyOwnedBy(SELF, "l");
            assertEquals(ValueResponseDecoder.TEMPLATE_ID, split.serve(split.requests.get(split.request, 5, 0, local)));
        }
    }

    @Test
    void shouldAskToForwardProxiedRequestsButNeverForwardedOnes()
    {
        try (HandlerFixture split = new HandlerFixture(true))
        {
            final byte[] remote = keyOwnedBy(OTHER, "r");
            assertEquals(RequestHandler.FORWARD,
                split.serve(split.requests.get(split.request, 6, RequestHandler.FLAG_PROXY, remote)));
            assertEquals(OTHER, split.handler.forwardNodeId());
            assertEquals(6, split.handler.correlationId());

            assertEquals(MovedResponseDecoder.TEMPLATE_ID, split.serve(split.requests.get(split.request, 7,
                RequestHandler.FLAG_PROXY | RequestHandler.FLAG_FORWARDED, remote)));

            assertEquals(RequestHandler.FORWARD, split.serve(split.requests.multiGet(split.request, 8, RequestHandler.FLAG_PROXY,
                remote, keyOwnedBy(OTHER, "s"))));
            assertEquals(OTHER, split.handler.forwardNodeId());
        }
    }

    @Test
    void shouldAnswerMovedPerEntryForMixedMultiGet()
    {
        try (HandlerFixture split = new HandlerFixture(true))
        {
            final byte[] local = keyOwnedBy(SELF, "l");
            final byte[] remote = keyOwnedBy(OTHER, "r");
            split.serve(split.requests.multiGet(split.request, 9, RequestHandler.FLAG_PROXY, local, remote));
            final MultiGetResponseDecoder multi = new MultiGetResponseDecoder().wrapAndApplyHeader(split.response, 0, split.header);
            final MultiGetResponseDecoder.EntriesDecoder entries = multi.entries();
            assertEquals(ResultCode.NOT_FOUND, entries.next().result());
            entries.skipValue();
            assertEquals(ResultCode.MOVED, entries.next().result());
            assertEquals(OTHER, entries.ownerNodeId());
            entries.skipValue();
        }
    }
}
