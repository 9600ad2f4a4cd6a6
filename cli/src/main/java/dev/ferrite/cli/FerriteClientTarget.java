package dev.ferrite.cli;

import dev.ferrite.client.ClientConfig;
import dev.ferrite.client.FerriteClient;
import dev.ferrite.client.RoutingMode;
import dev.ferrite.loadgen.target.LoadTarget;
import dev.ferrite.loadgen.target.LoadTargetProvider;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The load generator's {@code --target ferrite}: Ferrite nodes through the smart client. All
 * requesters share one client, as the threads of a service would (it is thread-safe, with one Aeron
 * session per node and its own media driver); each requester keeps {@code --pipeline} requests in
 * flight, so the requests in flight equal Redis's at the same settings, where each requester has its
 * own connection.
 */
public final class FerriteClientTarget implements LoadTarget
{
    private final FerriteClient client;
    private final String name;

    FerriteClientTarget(final List<String> seeds, final RoutingMode routing, final String secret, final long timeoutMs)
    {
        final ClientConfig config = new ClientConfig().seeds(seeds).routingMode(routing)
            .connectTimeoutMs(timeoutMs)
            .requestTimeoutMs(timeoutMs);
        if (secret != null)
        {
            config.secret(secret);
        }
        this.client = FerriteClient.connect(config);
        try
        {
            final int nodes = client.topology().nodes().size();
            this.name = "ferrite (" + nodes + (nodes == 1 ? " node, " : " nodes, ") + routing.name().toLowerCase(Locale.ROOT) + ")";
        }
        catch (final RuntimeException ex)
        {
            client.close();
            throw ex;
        }
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public CompletableFuture<Boolean> read(final byte[] key)
    {
        return client.getAsync(key).thenApply(result -> result.found());
    }

    @Override
    public CompletableFuture<Void> write(final byte[] key, final byte[] value)
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
        client.close();
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
                Long.parseLong(options.apply("timeoutMs")));
        }
    }
}
