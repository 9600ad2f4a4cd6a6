package dev.ferrite.bench.network;

import dev.ferrite.client.ClientConfig;
import dev.ferrite.client.FerriteClient;
import dev.ferrite.node.FerriteNode;
import dev.ferrite.node.NodeConfig;

import org.agrona.CloseHelper;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The Ferrite side of the benchmark: one node and one client, each with its own embedded media
 * driver (as two processes would have), over loopback UDP on an ephemeral port, using the client's
 * zero-garbage buffer API so the figures show the protocol and threading, not byte[] copies.
 *
 * <p>The key is written once before the run, so every get is a hit carrying the whole value: the
 * same bytes each way as the raw baseline's get-sized exchange ({@link FerriteMessageSizes}).
 */
public final class FerriteLoopback implements AutoCloseable
{
    private static final long ANSWER_TIMEOUT_MS = 5_000;

    private final FerriteNode node;
    private final FerriteClient client;
    private final UnsafeBuffer key;
    private final UnsafeBuffer value;
    private final ExpandableArrayBuffer readBuffer;

    private FerriteLoopback(final String idleStrategy, final int keyBytes, final int valueBytes)
    {
        FerriteNode startedNode = null;
        try
        {
            startedNode = FerriteNode.start(new NodeConfig().nodeId(1).port(0).idleStrategy(idleStrategy));
            // The raw baseline's 5 s answer timeout, not the client's 1 s default: on a loaded shared
            // machine one slow answer must show up as a sample, not end the run.
            client = FerriteClient.connect(new ClientConfig().seeds(startedNode.endpoint().endpoint()).idleStrategy(idleStrategy)
                .requestTimeoutMs(ANSWER_TIMEOUT_MS).connectTimeoutMs(ANSWER_TIMEOUT_MS));
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(startedNode);
            throw ex;
        }
        node = startedNode;
        key = new UnsafeBuffer(new byte[keyBytes]);
        for (int i = 0; i < keyBytes; i++)
        {
            key.putByte(i, (byte)('a' + i % 26));
        }
        value = new UnsafeBuffer(new byte[valueBytes]);
        readBuffer = new ExpandableArrayBuffer(valueBytes);
        set().call();
    }

    public static FerriteLoopback start(final String idleStrategy, final int keyBytes, final int valueBytes)
    {
        return new FerriteLoopback(idleStrategy, keyBytes, valueBytes);
    }

    /** A get of the present key, answered with its value. */
    public RoundTrip get()
    {
        return () ->
        {
            final int length = client.get(key, 0, key.capacity(), readBuffer, 0);
            if (length != value.capacity())
            {
                throw new IllegalStateException("get answered " + length + ", expected a " + value.capacity() + "-byte value");
            }
        };
    }

    /** A set (ALWAYS, no TTL) of the key to a value of the configured size. */
    public RoundTrip set()
    {
        return () ->
        {
            final long version = client.set(key, 0, key.capacity(), value, 0, value.capacity(), 0);
            if (version <= 0)
            {
                throw new IllegalStateException("set answered " + version);
            }
        };
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(client, node);
    }
}
