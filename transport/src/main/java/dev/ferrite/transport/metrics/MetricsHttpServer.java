package dev.ferrite.transport.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Serves {@code GET /metrics} in Prometheus text format, from the JDK's built-in HTTP server on one
 * daemon thread: scrapes are rare (seconds apart) and must never compete with the request path.
 * Binds to loopback unless told otherwise, like the node.
 */
public final class MetricsHttpServer implements AutoCloseable
{
    private final HttpServer server;

    private MetricsHttpServer(final HttpServer server)
    {
        this.server = server;
    }

    /**
     * @param port 0 picks a free port ({@link #port()} tells which).
     */
    public static MetricsHttpServer start(final String host, final int port, final Supplier<String> metrics) throws IOException
    {
        final HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.createContext("/metrics", exchange -> respond(exchange, metrics));
        server.setExecutor(Executors.newSingleThreadExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "ferrite-metrics-http");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return new MetricsHttpServer(server);
    }

    private static void respond(final HttpExchange exchange, final Supplier<String> metrics) throws IOException
    {
        try (exchange)
        {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod()))
            {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            final byte[] body = metrics.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", PrometheusText.CONTENT_TYPE);
            final boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(200, head ? -1 : body.length);
            if (!head)
            {
                try (OutputStream out = exchange.getResponseBody())
                {
                    out.write(body);
                }
            }
        }
    }

    public int port()
    {
        return server.getAddress().getPort();
    }

    @Override
    public void close()
    {
        server.stop(0);
        ((java.util.concurrent.ExecutorService)server.getExecutor()).shutdownNow();
    }
}
