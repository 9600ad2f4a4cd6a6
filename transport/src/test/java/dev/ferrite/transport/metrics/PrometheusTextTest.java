package dev.ferrite.transport.metrics;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Map;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class PrometheusTextTest
{
    private static final int TYPE_ID = 731100;

    private final CountersManager counters = new CountersManager(
        new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024)), new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024)));

    @Test
    void shouldRenderEachCounterKindAsItsPrometheusFamily()
    {
        counter("ferrite node 1: requests.get", 12);
        counter("ferrite node 1: requests.set", 3);
        counter("ferrite node 1: errors.MALFORMED", 2);
        counter("ferrite node 1: moved.sent", 5);
        counter("ferrite node 1: engine.bytesInUse", 4096);
        counter("ferrite node 1: engine.evictions", 7);
        counters.newCounter("someone else's counter", 1).setRelease(99);

        final String text = PrometheusText.render(counters, TYPE_ID, Map.of("node", "1"));

        assertTrue(text.contains("# TYPE ferrite_requests_total counter\n"), text);
        assertTrue(text.contains("ferrite_requests_total{node=\"1\",type=\"get\"} 12\n"), text);
        assertTrue(text.contains("ferrite_requests_total{node=\"1\",type=\"set\"} 3\n"), text);
        assertTrue(text.contains("ferrite_errors_total{node=\"1\",code=\"MALFORMED\"} 2\n"), text);
        assertTrue(text.contains("ferrite_moved_sent_total{node=\"1\"} 5\n"), text);
        assertTrue(text.contains("# TYPE ferrite_engine_bytes_in_use gauge\nferrite_engine_bytes_in_use{node=\"1\"} 4096\n"), text);
        assertTrue(text.contains("ferrite_engine_evictions_total{node=\"1\"} 7\n"), text);
        assertFalse(text.contains("99"), "counters of other types are not exported");
    }

    @Test
    void shouldServeTheTextOverHttp() throws Exception
    {
        counter("ferrite node 2: requests.get", 41);
        try (MetricsHttpServer server = MetricsHttpServer.start("127.0.0.1", 0,
            () -> PrometheusText.render(counters, TYPE_ID, Map.of("node", "2"))))
        {
            final HttpClient client = HttpClient.newHttpClient();
            final HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals(PrometheusText.CONTENT_TYPE, response.headers().firstValue("Content-Type").orElse(""));
            assertTrue(response.body().contains("ferrite_requests_total{node=\"2\",type=\"get\"} 41"), response.body());

            final HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
        }
    }

    private void counter(final String label, final long value)
    {
        final AtomicCounter counter = counters.newCounter(label, TYPE_ID);
        counter.setRelease(value);
    }
}
