package dev.ferrite.node;

import dev.ferrite.node.server.NodeCounters;
import dev.ferrite.node.server.Requests;
import dev.ferrite.transport.aeron.EmbeddedMediaDriver;
import dev.ferrite.transport.routing.NodeEndpoint;
import dev.ferrite.transport.routing.SlotTable;
import dev.ferrite.transport.sbe.ErrorCode;
import dev.ferrite.transport.sbe.ErrorResponseDecoder;
import dev.ferrite.transport.sbe.MessageHeaderDecoder;
import dev.ferrite.transport.sbe.PongResponseDecoder;
import dev.ferrite.transport.sbe.ResultCode;
import dev.ferrite.transport.sbe.SetCondition;
import dev.ferrite.transport.sbe.ValueResponseDecoder;
import dev.ferrite.transport.sbe.WelcomeResponseDecoder;

import java.io.File;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static dev.ferrite.node.server.Requests.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FerriteNodeTest
{
    private final Requests requests = new Requests();

    static NodeConfig config(final int nodeId)
    {
        return new NodeConfig().nodeId(nodeId).port(0);
    }

    static ValueResponseDecoder value(final DirectBuffer answer)
    {
        assertEquals(ValueResponseDecoder.TEMPLATE_ID, TestClient.templateId(answer), () -> "not a value answer: " + describe(answer));
        return new ValueResponseDecoder().wrapAndApplyHeader(answer, 0, new MessageHeaderDecoder());
    }

    static ErrorResponseDecoder error(final DirectBuffer answer)
    {
        assertEquals(ErrorResponseDecoder.TEMPLATE_ID, TestClient.templateId(answer));
        return new ErrorResponseDecoder().wrapAndApplyHeader(answer, 0, new MessageHeaderDecoder());
    }

    static String describe(final DirectBuffer answer)
    {
        return TestClient.templateId(answer) == ErrorResponseDecoder.TEMPLATE_ID ? error(answer).toString() :
            "template " + TestClient.templateId(answer);
    }

    static byte[] valueOf(final ValueResponseDecoder value)
    {
        final byte[] bytes = new byte[value.valueLength()];
        value.getValue(bytes, 0, bytes.length);
        return bytes;
    }

    @Test
    void shouldServeSetAndGetOverAeronAndCloseCleanly()
    {
        final String driverDir;
        try (FerriteNode node = FerriteNode.start(config(1));
            TestClient client = new TestClient(node.aeronDirectoryName(), node.endpoint()))
        {
            driverDir = node.aeronDirectoryName();
            assertTrue(node.endpoint().port() > 0);
            assertEquals("127.0.0.1", node.endpoint().host());
            assertEquals(WelcomeResponseDecoder.TEMPLATE_ID, TestClient.templateId(client.hello()));

            long id = client.nextCorrelationId();
            final ValueResponseDecoder set = value(client.call(id,
                requests.set(client.sendBuffer, id, 0, SetCondition.ALWAYS, 0, 0, bytes("k"), bytes("v1"))));
            assertEquals(ResultCode.OK, set.result());
            assertEquals(id, set.correlationId());

            // pipelining: several requests in flight, answers matched by correlation id
            final long first = client.nextCorrelationId();
            client.send(requests.get(client.sendBuffer, first, 0, bytes("k")));
            final long second = client.nextCorrelationId();
            client.send(requests.get(client.sendBuffer, second, 0, bytes("absent")));
            assertEquals(ResultCode.NOT_FOUND, value(client.await(second, TestClient.TIMEOUT_NS)).result());
            assertArrayEquals(bytes("v1"), valueOf(value(client.await(first, TestClient.TIMEOUT_NS))));
            assertArrayEquals(bytes("v1"), node.cache().get(bytes("k")));
            assertTrue(node.counters().get(NodeCounters.BYTES_IN) > 0);
        }
        assertFalse(new File(driverDir).exists(), "the embedded driver's directory is removed on close");
    }

    @Test
    void shouldAnswerGarbageWithErrorsAndKeepServing()
    {
        try (FerriteNode node = FerriteNode.start(config(1));
            TestClient client = new TestClient(node.aeronDirectoryName(), node.endpoint()))
        {
            client.sendBuffer.setMemory(0, 64, (byte)0x5A);
            client.send(64); // before hello: no reply address, only counted
            client.hello();
            client.sendBuffer.putLong(0, 0); // blockLength 0, template 0, schema 0, version 0
            client.sendBuffer.putLong(8, 4242);
            client.send(3); // shorter than a header
            final long id = client.nextCorrelationId();
            final int length = requests.get(client.sendBuffer, id, 0, bytes("k"));
            client.sendBuffer.putInt(length - 5, 1_000_000, java.nio.ByteOrder.LITTLE_ENDIAN); // key length past the end
            final DirectBuffer malformed = client.call(id, length);
            assertEquals(ErrorCode.MALFORMED, error(malformed).code());
            final DirectBuffer truncated = client.await(0, TestClient.TIMEOUT_NS);
            assertEquals(ErrorCode.MALFORMED, error(truncated).code(), "a message too short to carry an id is answered with id 0");

            final long ping = client.nextCorrelationId();
            assertEquals(PongResponseDecoder.TEMPLATE_ID,
                TestClient.templateId(client.call(ping, requests.ping(client.sendBuffer, ping, 1))));
            assertEquals(1, node.counters().get(NodeCounters.REQUESTS_DROPPED));
            assertEquals(2, node.counters().errors(ErrorCode.MALFORMED));
        }
    }

    @Test
    void shouldForgetTheSessionWhenTheClientGoesAway()
    {
        try (FerriteNode node = FerriteNode.start(config(1)))
        {
            try (TestClient client = new TestClient(node.aeronDirectoryName(), node.endpoint()))
            {
                client.hello();
                assertEquals(1, node.counters().get(NodeCounters.SESSIONS_OPENED));
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (node.counters().get(NodeCounters.SESSIONS_CLOSED) == 0 && System.nanoTime() < deadline)
            {
                Thread.yield();
            }
            assertEquals(1, node.counters().get(NodeCounters.SESSIONS_CLOSED), "the image went away: session and publication closed");
        }
    }

    @Test
    void shouldUseAnExternalMediaDriverAndLeaveItRunning()
    {
        try (EmbeddedMediaDriver external = EmbeddedMediaDriver.launch("external", "backoff"))
        {
            try (FerriteNode node = FerriteNode.start(config(1).aeronDirectoryName(external.aeronDirectoryName()));
                TestClient client = new TestClient(external.aeronDirectoryName(), node.endpoint()))
            {
                assertEquals(external.aeronDirectoryName(), node.aeronDirectoryName());
                assertEquals(WelcomeResponseDecoder.TEMPLATE_ID, TestClient.templateId(client.hello()));
                final long id = client.nextCorrelationId();
                assertEquals(PongResponseDecoder.TEMPLATE_ID,
                    TestClient.templateId(client.call(id, requests.ping(client.sendBuffer, id, 1))));
            }
            assertTrue(new File(external.aeronDirectoryName()).exists(), "an external driver is not the node's to close");
        }
    }

    @Test
    void shouldDropRequestsBeforeHelloAndRefuseThemBeforeAuthentication()
    {
        try (FerriteNode node = FerriteNode.start(config(1).sharedSecret("s3cret"));
            TestClient client = new TestClient(node.aeronDirectoryName(), node.endpoint()))
        {
            long id = client.nextCorrelationId();
            client.send(requests.ping(client.sendBuffer, id, 1));
            assertNull(client.await(id, TimeUnit.MILLISECONDS.toNanos(200)), "no reply address before hello");

            final UnsafeBuffer challenge = client.hello();
            assertEquals(dev.ferrite.transport.sbe.ChallengeResponseDecoder.TEMPLATE_ID, TestClient.templateId(challenge));

            id = client.nextCorrelationId();
            assertEquals(ErrorCode.NOT_AUTHENTICATED, error(client.call(id, requests.ping(client.sendBuffer, id, 1))).code());

            assertEquals(ErrorCode.AUTHENTICATION_FAILED, error(client.authenticate(challenge, "wrong")).code());
            id = client.nextCorrelationId();
            assertEquals(ErrorCode.NOT_AUTHENTICATED, error(client.call(id, requests.ping(client.sendBuffer, id, 1))).code());
            assertTrue(node.counters().errors(ErrorCode.NOT_AUTHENTICATED) >= 3);
        }
    }

    @Test
    void shouldOpenSessionWithTheRightSecret()
    {
        try (FerriteNode node = FerriteNode.start(config(1).sharedSecret("s3cret"));
            TestClient client = new TestClient(node.aeronDirectoryName(), node.endpoint()))
        {
            final UnsafeBuffer welcome = client.authenticate(client.hello(), "s3cret");
            assertEquals(WelcomeResponseDecoder.TEMPLATE_ID, TestClient.templateId(welcome));
            final long id = client.nextCorrelationId();
            final DirectBuffer pong = client.call(id, requests.ping(client.sendBuffer, id, 77));
            assertEquals(PongResponseDecoder.TEMPLATE_ID, TestClient.templateId(pong));
            assertEquals(77, new PongResponseDecoder().wrapAndApplyHeader(pong, 0, new MessageHeaderDecoder()).sentNanos());
        }
    }

    @Test
    void shouldNotStallOtherClientsBehindOneThatStopsReading()
    {
        try (FerriteNode node = FerriteNode.start(config(1));
            TestClient slow = new TestClient(node.aeronDirectoryName(), node.endpoint());
            TestClient other = new TestClient(node.aeronDirectoryName(), node.endpoint()))
        {
            slow.hello();
            other.hello();
            final byte[] big = new byte[1024 * 1024];
            node.cache().put(bytes("big"), big);
            for (int i = 0; i < 40; i++)
            {
                final long id = slow.nextCorrelationId();
                slow.send(requests.get(slow.sendBuffer, id, 0, bytes("big"))); // never read: back-pressure builds
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (node.counters().get(NodeCounters.RESPONSES_DROPPED) == 0 && System.nanoTime() < deadline)
            {
                Thread.yield();
            }
            assertTrue(node.counters().get(NodeCounters.RESPONSES_DROPPED) > 0, "answers to the slow client are dropped");
            final long id = other.nextCorrelationId();
            assertEquals(PongResponseDecoder.TEMPLATE_ID, TestClient.templateId(other.call(id, requests.ping(other.sendBuffer, id, 1))));
        }
    }

    @Test
    void shouldAnswerMovedAndProxyAcrossThreeNodes()
    {
        final String secret = "cluster-secret";
        try (FerriteNode a = FerriteNode.start(config(0).sharedSecret(secret));
            FerriteNode b = FerriteNode.start(config(1).sharedSecret(secret));
            FerriteNode c = FerriteNode.start(config(2).sharedSecret(secret)))
        {
            final int[] owners = new int[SlotTable.SLOT_COUNT];
            for (int slot = 0; slot < owners.length; slot++)
            {
                owners[slot] = slot % 3;
            }
            final SlotTable table = new SlotTable(1, java.util.List.of(a.endpoint(), b.endpoint(), c.endpoint()), owners);
            for (final FerriteNode node : new FerriteNode[] {a, b, c})
            {
                assertTrue(node.applyTopology(table));
                assertFalse(node.applyTopology(table), "same epoch does not replace");
            }
            try (TestClient client = new TestClient(a.aeronDirectoryName(), a.endpoint()))
            {
                client.authenticate(client.hello(), secret);
                final byte[] keyOfB = keyOwnedBy(table, 1);
                final byte[] keyOfC = keyOwnedBy(table, 2);

                long id = client.nextCorrelationId();
                final DirectBuffer moved = client.call(id, requests.get(client.sendBuffer, id, 0, keyOfB));
                assertEquals(dev.ferrite.transport.sbe.MovedResponseDecoder.TEMPLATE_ID, TestClient.templateId(moved));
                final var movedDecoder = new dev.ferrite.transport.sbe.MovedResponseDecoder()
                    .wrapAndApplyHeader(moved, 0, new MessageHeaderDecoder());
                assertEquals(1, movedDecoder.ownerNodeId());
                assertEquals(1, movedDecoder.topologyEpoch());
                assertEquals(b.endpoint().endpoint(), movedDecoder.ownerEndpoint());

                id = client.nextCorrelationId();
                final ValueResponseDecoder set = value(client.call(id, requests.set(client.sendBuffer, id,
                    dev.ferrite.node.server.RequestHandler.FLAG_PROXY, SetCondition.ALWAYS, 0, 0, keyOfB, bytes("via-a"))));
                assertEquals(ResultCode.OK, set.result());
                assertEquals(id, set.correlationId(), "the client's correlation id comes back");
                assertArrayEquals(bytes("via-a"), b.cache().get(keyOfB), "stored on the owner");
                assertNull(a.cache().get(keyOfB));

                c.cache().put(keyOfC, bytes("on-c"));
                id = client.nextCorrelationId();
                final ValueResponseDecoder got = value(client.call(id, requests.get(client.sendBuffer, id,
                    dev.ferrite.node.server.RequestHandler.FLAG_PROXY, keyOfC)));
                assertArrayEquals(bytes("on-c"), valueOf(got));
                assertEquals(2, a.counters().get(NodeCounters.FORWARDED));

                final byte[] big = new byte[1024 * 1024]; // the engine's largest value, both ways through the proxy
                java.util.concurrent.ThreadLocalRandom.current().nextBytes(big);
                id = client.nextCorrelationId();
                assertEquals(ResultCode.OK, value(client.call(id, requests.set(client.sendBuffer, id,
                    dev.ferrite.node.server.RequestHandler.FLAG_PROXY, SetCondition.ALWAYS, 0, 0, keyOfC, big))).result());
                assertArrayEquals(big, c.cache().get(keyOfC));
                id = client.nextCorrelationId();
                assertArrayEquals(big, valueOf(value(client.call(id, requests.get(client.sendBuffer, id,
                    dev.ferrite.node.server.RequestHandler.FLAG_PROXY, keyOfC)))));
            }
        }
    }

    @Test
    void shouldAnswerUnavailableWhenTheOwnerDoesNotAnswer()
    {
        try (FerriteNode a = FerriteNode.start(config(0).forwardTimeoutMs(300)))
        {
            final int[] owners = new int[SlotTable.SLOT_COUNT]; // node 5 owns every slot but does not run
            java.util.Arrays.fill(owners, 5);
            a.applyTopology(new SlotTable(1, java.util.List.of(a.endpoint(), new NodeEndpoint(5, "127.0.0.1", 9)), owners));
            try (TestClient client = new TestClient(a.aeronDirectoryName(), a.endpoint()))
            {
                client.hello();
                final long id = client.nextCorrelationId();
                final long start = System.nanoTime();
                final DirectBuffer answer = client.call(id, requests.get(client.sendBuffer, id,
                    dev.ferrite.node.server.RequestHandler.FLAG_PROXY, bytes("k")));
                assertNotNull(answer);
                assertEquals(ErrorCode.UNAVAILABLE, error(answer).code());
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
                assertEquals(1, a.counters().get(NodeCounters.FORWARD_TIMEOUTS));
            }
        }
    }

    static byte[] keyOwnedBy(final SlotTable table, final int nodeId)
    {
        for (int i = 0; ; i++)
        {
            final byte[] key = bytes("key-" + i);
            if (table.ownerOfKey(new UnsafeBuffer(key), 0, key.length) == nodeId)
            {
                return key;
            }
        }
    }
}
