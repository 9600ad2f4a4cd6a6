package dev.ferrite.client;

import dev.ferrite.transport.sbe.ErrorCode;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Challenge-response with a shared secret: accepted with the right one, refused otherwise. */
class AuthenticationTest
{
    private static RealCluster cluster;

    @BeforeAll
    static void startCluster()
    {
        cluster = new RealCluster(1, "s3cret");
    }

    @AfterAll
    static void stopCluster()
    {
        cluster.close();
    }

    private static ClientConfig config()
    {
        return new ClientConfig().seeds(cluster.seeds()).routingMode(RoutingMode.HANDOFF).requestTimeoutMs(3000);
    }

    @Test
    void shouldServeAClientThatKnowsTheSecret()
    {
        try (FerriteClient client = FerriteClient.connect(config().secret("s3cret")))
        {
            final byte[] key = "k".getBytes(StandardCharsets.UTF_8);
            assertTrue(client.set(key, key).ok());
            assertArrayEquals(key, client.get(key).value());
        }
    }

    @Test
    void shouldRefuseAClientWithTheWrongSecret()
    {
        try (FerriteClient client = FerriteClient.connect(config().secret("guess")))
        {
            final FerriteException error = assertThrows(FerriteException.class, () -> client.get(new byte[]{ 1 }));
            assertEquals(ErrorCode.AUTHENTICATION_FAILED, error.code());
        }
    }

    @Test
    void shouldRefuseAClientWithoutASecret()
    {
        try (FerriteClient client = FerriteClient.connect(config()))
        {
            final FerriteException error = assertThrows(FerriteException.class, () -> client.ping());
            assertEquals(ErrorCode.NOT_AUTHENTICATED, error.code());
        }
    }

    @Test
    void shouldRefuseDirectModeStartWithTheWrongSecret()
    {
        final FerriteException error = assertThrows(
            FerriteException.class, () -> FerriteClient.connect(config().routingMode(RoutingMode.DIRECT).secret("guess")).close());
        assertEquals(ErrorCode.AUTHENTICATION_FAILED, error.code());
    }
}
