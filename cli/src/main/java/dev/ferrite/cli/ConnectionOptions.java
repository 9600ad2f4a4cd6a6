package dev.ferrite.cli;

import dev.ferrite.client.ClientConfig;
import dev.ferrite.client.FerriteClient;
import dev.ferrite.client.RoutingMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import picocli.CommandLine.Option;

/**
 * How {@code ferrite cli} reaches the cluster: seeds given with {@code --nodes}, else the local
 * cluster's file ({@code .ferrite/cluster/cluster.conf}) when one is running, else node 1's default port.
 */
final class ConnectionOptions
{
    static final String DEFAULT_SEED = "127.0.0.1:7101";

    @Option(names = {"-n", "--nodes"}, description = "Seed nodes host:port[,host:port...] (default: the local cluster's, else " + DEFAULT_SEED + ").")
    String nodes;

    @Option(names = "--cluster-dir", description = "A local cluster's directory, for its cluster file (default .ferrite/cluster).")
    Path clusterDirectory;

    @Option(names = "--routing", defaultValue = "direct", description = "direct, proxy or handoff (default ${DEFAULT-VALUE}).")
    String routing;

    @Option(names = "--secret", description = "Shared secret, when the nodes have one.")
    String secret;

    @Option(names = "--timeout-ms", defaultValue = "1000", description = "Per-request timeout (default ${DEFAULT-VALUE}).")
    long timeoutMs;

    FerriteClient connect()
    {
        final ClientConfig config = new ClientConfig()
            .routingMode(RoutingMode.valueOf(routing.toUpperCase(Locale.ROOT)))
            .requestTimeoutMs(timeoutMs)
            .connectTimeoutMs(timeoutMs);
        final Path clusterFile = new ClusterLayout(clusterDirectory == null ? ClusterLayout.DEFAULT_DIRECTORY : clusterDirectory).clusterFile();
        if (nodes != null)
        {
            config.seeds(nodes.split(","));
        }
        else if (Files.isRegularFile(clusterFile))
        {
            config.clusterFile(clusterFile);
        }
        else
        {
            config.seeds(DEFAULT_SEED);
        }
        if (secret != null)
        {
            config.secret(secret);
        }
        return FerriteClient.connect(config);
    }
}
