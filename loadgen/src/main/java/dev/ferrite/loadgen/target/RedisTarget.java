package dev.ferrite.loadgen.target;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Redis through Lettuce, whose asynchronous connections pipeline: a requester keeps several
 * commands in flight on its own connection, as Ferrite's client does on its session. One
 * connection per requester, so the concurrency is the same as Ferrite's at equal settings.
 */
public final class RedisTarget implements LoadTarget
{
    private final RedisClient client;
    private final List<StatefulRedisConnection<byte[], byte[]>> connections = new ArrayList<>();
    private final List<RedisAsyncCommands<byte[], byte[]>> commands = new ArrayList<>();
    private final String name;

    public RedisTarget(final String host, final int port, final int connectionCount)
    {
        if (connectionCount < 1)
        {
            throw new IllegalArgumentException("connectionCount must be >= 1: " + connectionCount);
        }
        this.client = RedisClient.create(RedisURI.create(host, port));
        try
        {
            for (int i = 0; i < connectionCount; i++)
            {
                final StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
                connections.add(connection);
                commands.add(connection.async());
            }
            this.name = "redis " + serverVersion(connections.get(0));
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    private static String serverVersion(final StatefulRedisConnection<byte[], byte[]> connection)
    {
        final String info = connection.sync().info("server");
        for (final String line : info.split("\r?\n"))
        {
            if (line.startsWith("redis_version:"))
            {
                return line.substring("redis_version:".length()).trim();
            }
        }
        return "(unknown version)";
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public LoadTarget forRequester(final int requester)
    {
        final RedisAsyncCommands<byte[], byte[]> bound = commands.get(requester % commands.size());
        return new LoadTarget()
        {
            @Override
            public String name()
            {
                return name;
            }

            @Override
            public CompletableFuture<Boolean> read(final byte[] key)
            {
                return RedisTarget.read(bound, key);
            }

            @Override
            public CompletableFuture<Void> write(final byte[] key, final byte[] value)
            {
                return RedisTarget.write(bound, key, value);
            }
        };
    }

    @Override
    public CompletableFuture<Boolean> read(final byte[] key)
    {
        return read(commands.get(0), key);
    }

    @Override
    public CompletableFuture<Void> write(final byte[] key, final byte[] value)
    {
        return write(commands.get(0), key, value);
    }

    private static CompletableFuture<Boolean> read(final RedisAsyncCommands<byte[], byte[]> commands, final byte[] key)
    {
        return commands.get(key).toCompletableFuture().thenApply(value -> value != null);
    }

    private static CompletableFuture<Void> write(
        final RedisAsyncCommands<byte[], byte[]> commands, final byte[] key, final byte[] value)
    {
        return commands.set(key, value).toCompletableFuture().thenApply(ok -> null);
    }

    @Override
    public void close()
    {
        for (final StatefulRedisConnection<byte[], byte[]> connection : connections)
        {
            connection.close();
        }
        client.shutdown();
    }
}
