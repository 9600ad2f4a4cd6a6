package dev.ferrite.cli;

import dev.ferrite.client.ClientConfig;
import dev.ferrite.client.FerriteClient;
import dev.ferrite.client.RoutingMode;
import dev.ferrite.loadgen.target.LoadTarget;
import dev.ferrite.loadgen.target.LoadTargetProvider;
import dev.ferrite.transport.aeron.EmbeddedMediaDriver;
import dev.ferrite.transport.aeron.IdleStrategies;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The load generator's {@code --target ferrite}: Ferrite nodes through the smart client. One
 * client (one Aeron session per node) per requester, as Redis gets one connection per requester,
 * so both run at the same concurrency; each keeps {@code --pipeline} requests in flight.
 */
public final class FerriteClientTarget implements LoadTarget
{
    private final List<FerriteClient> clients = new ArrayList<>();
    /** One media driver for all requesters' clients: a driver each would be a busy thread each. */
    private final EmbeddedMediaDriver driver;
    private final String name;

    FerriteClientTarget(final List<String> seeds, final RoutingMode routing, final String secret, final int requesters)
    {
        this.driver = EmbeddedMediaDriver.launch("bench-client", IdleStrategies.BACKOFF);
        try
        {
            for (int i = 0; i < requesters; i++)
            {
                final ClientConfig config = new ClientConfig().seeds(seeds).routingMode(routing)
                    .aeronDirectoryName(driver.aeronDirectoryName());
                if (secret != null)
                {
                    config.secret(secret);
                }
                clients.add(FerriteClient.connect(config));
            }
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
        final int nodes = clients.get(0).topology().nodes().size();
        this.name = "ferrite (" + nodes + (nodes == 1 ? " node, " : " nodes, ") + routing.name().toLowerCase(Locale.ROOT) + ")";
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public LoadTarget forRequester(final int requester)
    {
        final FerriteClient client = clients.get(requester % clients.size());
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
                return FerriteClientTarget.read(client, key);
            }

            @Override
            public CompletableFuture<Void> write(final byte[] key, final byte[] value)
            {
                return FerriteClientTarget.write(client, key, value);
            }
        };
    }

    @Override
    public CompletableFuture<Boolean> read(final byte[] key)
    {
        return read(clients.get(0), key);
    }

    @Override
    public CompletableFuture<Void> write(final byte[] key, final byte[] value)
    {
        return write(clients.get(0), key, value);
    }

    private static CompletableFuture<Boolean> read(final FerriteClient client, final byte[] key)
    {
        return client.getAsync(key).thenApply(result -> result.found());
    }

    private static CompletableFuture<Void> write(final FerriteClient client, final byte[] key, final byte[] value)
    {
        return client.setAsync(key, value, 0).thenApply(result ->
        {
            if (!result.ok())
            {
                throw new IllegalStateException("set answered " + result.status());
            }
            return null;
        });
    }

    @Override
    public void close()
    {
        for (final FerriteClient client : clients)
        {
            client.close();
        }
        driver.close();
    }

    /** Registered in META-INF/services, so {@code ferrite bench --target ferrite} finds it. */
    public static final class Provider implements LoadTargetProvider
    {
        @Override
        public String name()
        {
            return "ferrite";
        }

        @Override
        public LoadTarget open(final Function<String, String> options)
        {
            return new FerriteClientTarget(List.of(options.apply("nodes").split(",")),
                RoutingMode.valueOf(options.apply("routing").toUpperCase(Locale.ROOT)), options.apply("secret"),
                Integer.parseInt(options.apply("requesters")));
        }
    }
}
