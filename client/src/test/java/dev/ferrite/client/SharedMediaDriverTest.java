package dev.ferrite.client;

import dev.ferrite.node.FerriteNode;
import dev.ferrite.node.NodeConfig;
import dev.ferrite.transport.aeron.EmbeddedMediaDriver;
import dev.ferrite.transport.aeron.IdleStrategies;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Clients that share a media driver (an external driver on a host, or several clients in one
 * process) must still be separate sessions at the node: each gets its own answers.
 */
class SharedMediaDriverTest
{
    @Test
    void shouldKeepTwoClientsOnOneDriverApart()
    {
        try (FerriteNode node = FerriteNode.start(new NodeConfig().nodeId(1).port(0));
            EmbeddedMediaDriver driver = EmbeddedMediaDriver.launch("shared-clients", IdleStrategies.BACKOFF);
            FerriteClient first = connect(node, driver);
            FerriteClient second = connect(node, driver))
        {
            assertNotEquals(first.clientId(), second.clientId());
            for (int i = 0; i < 50; i++)
            {
                final byte[] firstKey = bytes("first-" + i);
                final byte[] secondKey = bytes("second-" + i);
                assertTrue(first.set(firstKey, bytes("a" + i)).ok());
                assertTrue(second.set(secondKey, bytes("b" + i)).ok());
                assertArrayEquals(bytes("b" + i), first.get(secondKey).value());
                assertArrayEquals(bytes("a" + i), second.get(firstKey).value());
            }
            assertEquals(0, first.droppedAnswers() + second.droppedAnswers(), "no answer went to the wrong client");
        }
    }

    private static FerriteClient connect(final FerriteNode node, final EmbeddedMediaDriver driver)
    {
        return FerriteClient.connect(new ClientConfig().seeds(node.endpoint().endpoint())
            .aeronDirectoryName(driver.aeronDirectoryName()).connectTimeoutMs(5000).requestTimeoutMs(5000));
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
