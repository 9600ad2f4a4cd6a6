package dev.ferrite.client;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** PROXY mode moves on to the next seed when the current one is unreachable. */
class ProxyFailoverTest
{
    /** A UDP port nothing listens on (bound, then released). */
    private static String deadHostPort() throws Exception
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1")))
        {
            return "127.0.0.1:" + socket.getLocalPort();
        }
    }

    @Test
    void shouldFailOverToTheNextSeedWhenTheFirstIsUnreachable() throws Exception
    {
        try (RealCluster cluster = new RealCluster(3, null);
            FerriteClient client = FerriteClient.connect(new ClientConfig()
                .seeds(deadHostPort(), cluster.hostPort(1))
                .routingMode(RoutingMode.PROXY)
                .connectTimeoutMs(1000)
                .requestTimeoutMs(3000)))
        {
            final byte[] key = "through-the-second-seed".getBytes(StandardCharsets.UTF_8);
            assertTrue(client.set(key, key).ok());
            assertArrayEquals(key, client.get(key).value());
            assertTrue(cluster.proxied(1) > 0 || cluster.keyedRequests(1) >= 2, "the live seed took the requests");
            final long startNs = System.nanoTime();
            client.ping();
            // Trying the dead seed again would cost its whole connect timeout; a ping to the live one takes
            // microseconds. A second, not the 300 ms of before, so that a loaded CI machine cannot fail it.
            assertTrue(System.nanoTime() - startNs < 1_000_000_000L, "the dead seed is not tried again");
        }
    }
}
