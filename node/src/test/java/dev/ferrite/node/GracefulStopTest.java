package dev.ferrite.node;

import dev.ferrite.node.server.RequestHandler;
import dev.ferrite.node.server.Requests;
import dev.ferrite.transport.routing.NodeEndpoint;
import dev.ferrite.transport.routing.SlotTable;
import dev.ferrite.transport.sbe.ErrorCode;
import dev.ferrite.transport.sbe.ErrorResponseDecoder;
import dev.ferrite.transport.sbe.MessageHeaderDecoder;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

import static dev.ferrite.node.server.Requests.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GracefulStopTest
{
    private final Requests requests = new Requests();

    @Test
    void shouldRefuseNewRequestsButFinishForwardsInFlightWhenClosing() throws Exception
    {
        final FerriteNode node = FerriteNode.start(new NodeConfig().nodeId(0).port(0).forwardTimeoutMs(1_500));
        final TestClient client = new TestClient(node.aeronDirectoryName(), node.endpoint());
        try
        {
            final int[] owners = new int[SlotTable.SLOT_COUNT]; // node 7 owns every slot and never answers
            Arrays.fill(owners, 7);
            node.applyTopology(new SlotTable(1, List.of(node.endpoint(), new NodeEndpoint(7, "127.0.0.1", 9)), owners));
            client.hello();

            final long forwarded = client.nextCorrelationId();
            client.send(requests.get(client.sendBuffer, forwarded, RequestHandler.FLAG_PROXY, bytes("k")));
            Thread.sleep(100); // the forward is in flight
            final long closeStartNs = System.nanoTime();
            final CompletableFuture<Void> closing = CompletableFuture.runAsync(node::close);
            Thread.sleep(100);
            assertFalse(closing.isDone(), "close waits for the forward in flight");

            final long refused = client.nextCorrelationId();
            final DirectBuffer refusal = client.call(refused, requests.ping(client.sendBuffer, refused, 1));
            assertEquals(ErrorCode.STOPPING, error(refusal).code(), "new requests are refused while stopping");

            final DirectBuffer answer = client.await(forwarded, TimeUnit.SECONDS.toNanos(10));
            assertNotNull(answer, "the forward in flight is answered before the node stops");
            assertEquals(ErrorCode.UNAVAILABLE, error(answer).code());
            client.close(); // before the node's driver goes away
            closing.get(10, TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - closeStartNs < TimeUnit.SECONDS.toNanos(5), "close does not wait for its full timeout");
        }
        finally
        {
            client.close();
            node.close();
        }
    }

    private static ErrorResponseDecoder error(final DirectBuffer answer)
    {
        assertEquals(ErrorResponseDecoder.TEMPLATE_ID, TestClient.templateId(answer));
        return new ErrorResponseDecoder().wrapAndApplyHeader(answer, 0, new MessageHeaderDecoder());
    }
}
