package dev.ferrite.node;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.transport.routing.ClusterFile;
import dev.ferrite.transport.routing.ClusterSpec;
import dev.ferrite.transport.routing.NodeEndpoint;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Builds a {@link NodeConfig} from a properties file and {@code --key=value} flags; a flag overrides
 * the file. The keys and their defaults are listed on {@link NodeConfig} and in the sample
 * {@code config/node.properties}; an unknown key is an error that names the known ones.
 *
 * <p>{@code --config=FILE} names the file; without it {@code config/node.properties} is read when it
 * exists. With {@code cluster.file} set, the slot table comes from that file and, unless
 * {@code node.host} / {@code node.port} are given, so do this node's host and port.
 */
public final class NodeProperties
{
    public static final String CONFIG_FLAG = "config";
    public static final String DEFAULT_CONFIG_FILE = "config/node.properties";

    public static final String NODE_ID = "node.id";
    public static final String HOST = "node.host";
    public static final String PORT = "node.port";
    public static final String ADVERTISED_HOST = "node.advertisedHost";
    public static final String AERON_DIR = "aeron.dir";
    public static final String IDLE_STRATEGY = "idle.strategy";
    public static final String AUTH_SECRET = "auth.secret";
    public static final String CACHE_CAPACITY_BYTES = "cache.capacityBytes";
    public static final String CACHE_MAX_KEY_LENGTH = "cache.maxKeyLength";
    public static final String CACHE_MAX_VALUE_LENGTH = "cache.maxValueLength";
    public static final String CACHE_EVICTION_ENABLED = "cache.evictionEnabled";
    public static final String CACHE_RECLAIM_AHEAD_SEGMENTS = "cache.reclaimAheadSegments";
    public static final String CACHE_SHARDS = "cache.shards";
    public static final String PROXY_TIMEOUT_MS = "proxy.timeoutMs";
    public static final String SHUTDOWN_TIMEOUT_MS = "shutdown.timeoutMs";
    public static final String CLUSTER_FILE = "cluster.file";
    public static final String METRICS_PORT = "metrics.port";

    static final List<String> KEYS = List.of(NODE_ID, HOST, PORT, ADVERTISED_HOST, AERON_DIR, IDLE_STRATEGY, AUTH_SECRET,
        CACHE_CAPACITY_BYTES, CACHE_MAX_KEY_LENGTH, CACHE_MAX_VALUE_LENGTH, CACHE_EVICTION_ENABLED, CACHE_RECLAIM_AHEAD_SEGMENTS, CACHE_SHARDS,
        PROXY_TIMEOUT_MS, SHUTDOWN_TIMEOUT_MS, CLUSTER_FILE, METRICS_PORT);

    private NodeProperties()
    {
    }

    /** Reads the config file (if any) and applies the flags over it. */
    public static NodeConfig load(final String[] args)
    {
        String configFile = null;
        final Properties flags = new Properties();
        for (final String arg : args)
        {
            if (!arg.startsWith("--") || arg.indexOf('=') < 0)
            {
                throw new IllegalArgumentException("expected --key=value, got '" + arg + "'");
            }
            final String key = arg.substring(2, arg.indexOf('='));
            final String value = arg.substring(arg.indexOf('=') + 1);
            if (CONFIG_FLAG.equals(key))
            {
                configFile = value;
            }
            else
            {
                flags.setProperty(key, value);
            }
        }
        final Properties merged = new Properties();
        if (configFile != null)
        {
            merged.putAll(read(Path.of(configFile)));
        }
        else if (Files.isRegularFile(Path.of(DEFAULT_CONFIG_FILE)))
        {
            merged.putAll(read(Path.of(DEFAULT_CONFIG_FILE)));
        }
        merged.putAll(flags);
        return toConfig(merged);
    }

    static Properties read(final Path file)
    {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read config file " + file, ex);
        }
        return properties;
    }

    /** Applies known keys to a fresh {@link NodeConfig}; empty values mean the default. */
    public static NodeConfig toConfig(final Properties properties)
    {
        for (final String key : properties.stringPropertyNames())
        {
            if (!KEYS.contains(key))
            {
                throw new IllegalArgumentException("unknown key '" + key + "': known keys are " + new TreeSet<>(KEYS));
            }
        }
        final NodeConfig config = new NodeConfig();
        final CacheConfig cache = config.cacheConfig();
        final String nodeId = value(properties, NODE_ID);
        if (nodeId != null)
        {
            config.nodeId(parseInt(NODE_ID, nodeId));
        }
        final String clusterFile = value(properties, CLUSTER_FILE);
        if (clusterFile != null)
        {
            final ClusterSpec spec = ClusterFile.read(Path.of(clusterFile));
            config.topology(spec.compile()).clusterFile(Path.of(clusterFile));
            for (final NodeEndpoint node : spec.nodes())
            {
                if (node.nodeId() == config.nodeId())
                {
                    config.host(node.host()).port(node.port());
                }
            }
        }
        final String host = value(properties, HOST);
        if (host != null)
        {
            config.host(host);
        }
        final String port = value(properties, PORT);
        if (port != null)
        {
            config.port(parseInt(PORT, port));
        }
        config.advertisedHost(value(properties, ADVERTISED_HOST));
        config.aeronDirectoryName(value(properties, AERON_DIR));
        final String idle = value(properties, IDLE_STRATEGY);
        if (idle != null)
        {
            config.idleStrategy(idle);
        }
        config.sharedSecret(value(properties, AUTH_SECRET));
        final String capacity = value(properties, CACHE_CAPACITY_BYTES);
        if (capacity != null)
        {
            cache.capacityBytes(parseLong(CACHE_CAPACITY_BYTES, capacity));
        }
        final String maxKey = value(properties, CACHE_MAX_KEY_LENGTH);
        if (maxKey != null)
        {
            cache.maxKeyLength(parseInt(CACHE_MAX_KEY_LENGTH, maxKey));
        }
        final String maxValue = value(properties, CACHE_MAX_VALUE_LENGTH);
        if (maxValue != null)
        {
            cache.maxValueLength(parseInt(CACHE_MAX_VALUE_LENGTH, maxValue));
        }
        final String eviction = value(properties, CACHE_EVICTION_ENABLED);
        if (eviction != null)
        {
            cache.evictionEnabled(parseBoolean(CACHE_EVICTION_ENABLED, eviction));
        }
        final String reclaimAhead = value(properties, CACHE_RECLAIM_AHEAD_SEGMENTS);
        if (reclaimAhead != null)
        {
            cache.reclaimAheadSegments(parseInt(CACHE_RECLAIM_AHEAD_SEGMENTS, reclaimAhead));
        }
        final String shards = value(properties, CACHE_SHARDS);
        if (shards != null)
        {
            cache.shards(parseInt(CACHE_SHARDS, shards));
        }
        final String proxyTimeout = value(properties, PROXY_TIMEOUT_MS);
        if (proxyTimeout != null)
        {
            config.forwardTimeoutMs(parseLong(PROXY_TIMEOUT_MS, proxyTimeout));
        }
        final String shutdownTimeout = value(properties, SHUTDOWN_TIMEOUT_MS);
        if (shutdownTimeout != null)
        {
            config.shutdownTimeoutMs(parseLong(SHUTDOWN_TIMEOUT_MS, shutdownTimeout));
        }
        final String metricsPort = value(properties, METRICS_PORT);
        if (metricsPort != null)
        {
            config.metricsPort(parseInt(METRICS_PORT, metricsPort));
        }
        return config.conclude();
    }

    private static String value(final Properties properties, final String key)
    {
        final String value = properties.getProperty(key);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static int parseInt(final String key, final String value)
    {
        try
        {
            return Integer.parseInt(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(key + "=" + value + " is not an integer");
        }
    }

    private static long parseLong(final String key, final String value)
    {
        try
        {
            return Long.parseLong(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(key + "=" + value + " is not an integer");
        }
    }

    private static boolean parseBoolean(final String key, final String value)
    {
        if ("true".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value))
        {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException(key + "=" + value + " must be true or false");
    }
}
