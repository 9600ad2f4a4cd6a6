package dev.ferrite.client;

import dev.ferrite.transport.ProtocolConstants;
import dev.ferrite.transport.aeron.IdleStrategies;
import dev.ferrite.transport.routing.ClusterFile;
import dev.ferrite.transport.routing.NodeEndpoint;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link FerriteClient} connects, routes and waits. Fluent setters; {@link #conclude()} (called by
 * {@link FerriteClient#connect(ClientConfig)}) validates and derives once.
 *
 * <pre>
 * setting             default             meaning
 * seeds / clusterFile (required)          nodes to start from: "host:port" list, or the cluster file's nodes
 * routingMode         DIRECT              DIRECT, PROXY or HANDOFF ({@link RoutingMode})
 * requestTimeoutMs    1000                per request, including MOVED retries and session opening
 * connectTimeoutMs    1000                how long a node's channel may take to connect before it counts as unreachable
 * maxMovedRetries     5                   MOVED answers followed per request before it fails
 * secret              none                shared secret for challenge-response authentication
 * aeronDirectoryName  none = embedded     an external media driver's directory; none launches an embedded driver
 * idleStrategy        backoff             for the response poller and for waiting callers ({@link IdleStrategies})
 * responseHost        127.0.0.1           the address nodes send answers to (ephemeral port)
 * maxInFlight         1024                requests in flight per client (rounded up to a power of two)
 * </pre>
 */
public final class ClientConfig
{
    public static final long DEFAULT_REQUEST_TIMEOUT_MS = 1000;
    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 1000;
    public static final int DEFAULT_MAX_MOVED_RETRIES = 5;
    public static final String DEFAULT_RESPONSE_HOST = "127.0.0.1";
    public static final int DEFAULT_MAX_IN_FLIGHT = 1024;

    private final List<String> seeds = new ArrayList<>();
    private Path clusterFile;
    private RoutingMode routingMode = RoutingMode.DIRECT;
    private long requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
    private long connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
    private int maxMovedRetries = DEFAULT_MAX_MOVED_RETRIES;
    private byte[] secret;
    private String aeronDirectoryName;
    private String idleStrategy = IdleStrategies.BACKOFF;
    private String responseHost = DEFAULT_RESPONSE_HOST;
    private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
    private int responseStreamId = ProtocolConstants.RESPONSE_STREAM_ID;

    /** Seed nodes as {@code host:port}, tried in order. */
    public ClientConfig seeds(final String... hostPorts)
    {
        seeds.addAll(Arrays.asList(hostPorts));
        return this;
    }

    public ClientConfig seeds(final List<String> hostPorts)
    {
        seeds.addAll(hostPorts);
        return this;
    }

    /**
     * The cluster file nodes read too ({@link ClusterFile}, docs/routing.md): its nodes become the seeds.
     * The slot table itself is always fetched from a node, which holds the newest epoch.
     */
    public ClientConfig clusterFile(final Path path)
    {
        this.clusterFile = path;
        return this;
    }

    public ClientConfig routingMode(final RoutingMode mode)
    {
        this.routingMode = Objects.requireNonNull(mode, "routingMode");
        return this;
    }

    public ClientConfig requestTimeoutMs(final long timeoutMs)
    {
        this.requestTimeoutMs = timeoutMs;
        return this;
    }

    public ClientConfig connectTimeoutMs(final long timeoutMs)
    {
        this.connectTimeoutMs = timeoutMs;
        return this;
    }

    public ClientConfig maxMovedRetries(final int retries)
    {
        this.maxMovedRetries = retries;
        return this;
    }

    /** The cluster's shared secret as UTF-8 text; never sent, only used to prove knowledge of it. */
    public ClientConfig secret(final String secret)
    {
        this.secret = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    public ClientConfig secret(final byte[] secret)
    {
        this.secret = secret == null ? null : secret.clone();
        return this;
    }

    /** Use a media driver already running with this directory instead of an embedded one. */
    public ClientConfig aeronDirectoryName(final String directory)
    {
        this.aeronDirectoryName = directory;
        return this;
    }

    public ClientConfig idleStrategy(final String name)
    {
        this.idleStrategy = Objects.requireNonNull(name, "idleStrategy");
        return this;
    }

    public ClientConfig responseHost(final String host)
    {
        this.responseHost = Objects.requireNonNull(host, "responseHost");
        return this;
    }

    public ClientConfig maxInFlight(final int requests)
    {
        this.maxInFlight = requests;
        return this;
    }

    public ClientConfig responseStreamId(final int streamId)
    {
        this.responseStreamId = streamId;
        return this;
    }

    /**
     * Validates and derives: reads the cluster file into the seeds, rounds maxInFlight up to a power of
     * two, checks the idle strategy name.
     *
     * @throws IllegalArgumentException naming the bad setting.
     */
    public ClientConfig conclude()
    {
        if (clusterFile != null)
        {
            seeds.addAll(readClusterFile(clusterFile));
            clusterFile = null;
        }
        if (seeds.isEmpty())
        {
            throw new IllegalArgumentException("no seeds: set seeds(host:port...) or clusterFile(path)");
        }
        for (final String seed : seeds)
        {
            HostPort.parse(seed);
        }
        if (requestTimeoutMs <= 0)
        {
            throw new IllegalArgumentException("requestTimeoutMs must be > 0: " + requestTimeoutMs);
        }
        if (connectTimeoutMs <= 0)
        {
            throw new IllegalArgumentException("connectTimeoutMs must be > 0: " + connectTimeoutMs);
        }
        if (maxMovedRetries < 0)
        {
            throw new IllegalArgumentException("maxMovedRetries must be >= 0: " + maxMovedRetries);
        }
        if (maxInFlight < 2 || maxInFlight > (1 << 20))
        {
            throw new IllegalArgumentException("maxInFlight must be in 2..1048576: " + maxInFlight);
        }
        maxInFlight = Integer.highestOneBit(maxInFlight - 1) << 1;
        IdleStrategies.create(idleStrategy);
        return this;
    }

    private static List<String> readClusterFile(final Path path)
    {
        final List<String> hostPorts = new ArrayList<>();
        for (final NodeEndpoint node : ClusterFile.read(path).nodes())
        {
            hostPorts.add(node.endpoint());
        }
        return hostPorts;
    }

    public List<String> seeds()
    {
        return List.copyOf(seeds);
    }

    public RoutingMode routingMode()
    {
        return routingMode;
    }

    public long requestTimeoutMs()
    {
        return requestTimeoutMs;
    }

    public long connectTimeoutMs()
    {
        return connectTimeoutMs;
    }

    public int maxMovedRetries()
    {
        return maxMovedRetries;
    }

    byte[] secret()
    {
        return secret;
    }

    public boolean hasSecret()
    {
        return secret != null;
    }

    public String aeronDirectoryName()
    {
        return aeronDirectoryName;
    }

    public String idleStrategy()
    {
        return idleStrategy;
    }

    public String responseHost()
    {
        return responseHost;
    }

    public int maxInFlight()
    {
        return maxInFlight;
    }

    public int responseStreamId()
    {
        return responseStreamId;
    }
}
