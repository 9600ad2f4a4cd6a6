package dev.ferrite.node;

import dev.ferrite.node.server.Requests;
import dev.ferrite.transport.sbe.ResultCode;
import dev.ferrite.transport.sbe.SetCondition;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class MetricsEndpointTest
{
    private final Requests requests = new Requests();

    @Test
    void shouldServeRequestAndEngineCountersInPrometheusFormat() throws Exception
    {
        try (FerriteNode node = FerriteNode.start(FerriteNodeTest.config(7).metricsPort(0));
            TestClient client = new TestClient(node.aeronDirectoryName(), node.endpoint()))
        {
            assertTrue(node.metricsPort() > 0);
            client.hello();
            final long id = client.nextCorrelationId();
            assertEquals(ResultCode.OK, FerriteNodeTest.value(client.call(id, requests.set(client.sendBuffer, id, 0,
                SetCondition.ALWAYS, 0, 0, "k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8)))).result());

            // Engine statistics reach their counters within a second of the write.
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String text = scrape(node.metricsPort());
            while (!text.contains("ferrite_engine_entries{node=\"7\"} 1\n") && System.nanoTime() < deadlineNs)
            {
                Thread.sleep(100);
                text = scrape(node.metricsPort());
            }
            assertTrue(text.contains("ferrite_engine_entries{node=\"7\"} 1\n"), text);
            assertTrue(text.contains("ferrite_requests_total{node=\"7\",type=\"set\"} 1\n"), text);
            assertTrue(text.contains("ferrite_engine_puts_total{node=\"7\"} 1\n"), text);
            assertTrue(text.contains("# TYPE ferrite_errors_total counter"), text);
        }
    }

    @Test
    void shouldServeNoEndpointUnlessConfigured()
    {
        try (FerriteNode node = FerriteNode.start(FerriteNodeTest.config(8)))
        {
            assertEquals(NodeConfig.METRICS_PORT_OFF, node.metricsPort());
        }
    }

    private static String scrape(final int port) throws Exception
    {
        final HttpResponse<String> response = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        return response.body();
    }
}
