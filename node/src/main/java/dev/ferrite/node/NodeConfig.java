package dev.ferrite.node;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.FerriteCache;
import dev.ferrite.transport.aeron.IdleStrategies;
import dev.ferrite.transport.routing.SlotTable;

import java.nio.file.Path;

/**
 * Settings of one node, with fluent setters. Every setting has a key for the config file and the
 * command line ({@code --key=value}, see {@code config/node.properties}) and a documented default.
 *
 * <table>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>node.id</td><td>0</td><td>this node's id in the cluster file</td></tr>
 *   <tr><td>node.host</td><td>127.0.0.1</td><td>address the request channel binds to (loopback unless configured)</td></tr>
 *   <tr><td>node.port</td><td>7400</td><td>UDP port of the request channel; 0 picks a free one</td></tr>
 *   <tr><td>node.advertisedHost</td><td>node.host</td><td>host clients and peers reach this node at</td></tr>
 *   <tr><td>aeron.dir</td><td>(empty)</td><td>an external media driver's directory; empty launches an embedded one</td></tr>
 *   <tr><td>idle.strategy</td><td>backoff</td><td>backoff, yielding, sleeping or busy-spin</td></tr>
 *   <tr><td>auth.secret</td><td>(empty)</td><td>shared secret; when set every session authenticates</td></tr>
 *   <tr><td>cache.capacityBytes</td><td>67108864</td><td>the engine's byte budget</td></tr>
 *   <tr><td>cache.maxKeyLength</td><td>65536</td><td>longest key</td></tr>
 *   <tr><td>cache.maxValueLength</td><td>1048576</td><td>longest value</td></tr>
 *   <tr><td>cache.evictionEnabled</td><td>true</td><td>evict when full (else FULL errors)</td></tr>
 *   <tr><td>cache.reclaimAheadSegments</td><td>0</td><td>segments a background thread keeps free ahead of writes, in all shards together (0: writes reclaim inline)</td></tr>
 *   <tr><td>cache.shards</td><td>0</td><td>independent stores the cache is split into by key hash (0: picked from the processors and the capacity)</td></tr>
 *   <tr><td>proxy.timeoutMs</td><td>1000</td><td>how long a forwarded request waits for its owner</td></tr>
 *   <tr><td>shutdown.timeoutMs</td><td>5000</td><td>how long a graceful stop waits for in-flight forwards</td></tr>
 *   <tr><td>cluster.file</td><td>(empty)</td><td>the cluster file; empty: this node owns every slot</td></tr>
 * </table>
 */
public final class NodeConfig
{
    public static final int NODE_ID_DEFAULT = 0;
    public static final String HOST_DEFAULT = "127.0.0.1";
    public static final int PORT_DEFAULT = 7400;
    public static final String IDLE_STRATEGY_DEFAULT = IdleStrategies.BACKOFF;
    public static final long FORWARD_TIMEOUT_MS_DEFAULT = 1000;
    public static final long SHUTDOWN_TIMEOUT_MS_DEFAULT = 5000;
    /** No Prometheus endpoint unless a port is configured. */
    public static final int METRICS_PORT_OFF = -1;

    private int nodeId = NODE_ID_DEFAULT;
    private String host = HOST_DEFAULT;
    private int port = PORT_DEFAULT;
    private String advertisedHost;
    private String aeronDirectoryName;
    private String idleStrategy = IDLE_STRATEGY_DEFAULT;
    private String sharedSecret;
    private CacheConfig cacheConfig = new CacheConfig();
    private FerriteCache cache;
    private SlotTable topology;
    private long forwardTimeoutMs = FORWARD_TIMEOUT_MS_DEFAULT;
    private long shutdownTimeoutMs = SHUTDOWN_TIMEOUT_MS_DEFAULT;
    private int metricsPort = METRICS_PORT_OFF;
    private Path clusterFile;

    public int nodeId()
    {
        return nodeId;
    }

    public NodeConfig nodeId(final int nodeId)
    {
        this.nodeId = nodeId;
        return this;
    }

    public String host()
    {
        return host;
    }

    /** The address the request channel binds to. */
    public NodeConfig host(final String host)
    {
        this.host = host;
        return this;
    }

    public int port()
    {
        return port;
    }

    /** UDP port of the request channel; 0 picks a free one ({@link FerriteNode#endpoint()} tells which). */
    public NodeConfig port(final int port)
    {
        this.port = port;
        return this;
    }

    /** The host clients and peers use; defaults to {@link #host()} (set it when binding 0.0.0.0). */
    public String advertisedHost()
    {
        return advertisedHost != null ? advertisedHost : host;
    }

    public NodeConfig advertisedHost(final String advertisedHost)
    {
        this.advertisedHost = advertisedHost;
        return this;
    }

    public String aeronDirectoryName()
    {
        return aeronDirectoryName;
    }

    /** An external media driver's directory; null or empty launches an embedded driver under /dev/shm. */
    public NodeConfig aeronDirectoryName(final String aeronDirectoryName)
    {
        this.aeronDirectoryName = aeronDirectoryName;
        return this;
    }

    public String idleStrategy()
    {
        return idleStrategy;
    }

    /** Idle strategy of the server agent and the embedded driver, by {@link IdleStrategies} name. */
    public NodeConfig idleStrategy(final String idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        return this;
    }

    public String sharedSecret()
    {
        return sharedSecret;
    }

    /** When non-empty, every session proves it knows this secret (docs/protocol.md). */
    public NodeConfig sharedSecret(final String sharedSecret)
    {
        this.sharedSecret = sharedSecret;
        return this;
    }

    public CacheConfig cacheConfig()
    {
        return cacheConfig;
    }

    /** Settings of the engine the node creates (ignored when {@link #cache(FerriteCache)} is given). */
    public NodeConfig cacheConfig(final CacheConfig cacheConfig)
    {
        this.cacheConfig = cacheConfig;
        return this;
    }

    public FerriteCache cache()
    {
        return cache;
    }

    /** Serve an existing engine; the node then does not close it. */
    public NodeConfig cache(final FerriteCache cache)
    {
        this.cache = cache;
        return this;
    }

    public SlotTable topology()
    {
        return topology;
    }

    /** The initial slot table; null: this node alone owns every slot (epoch 0). */
    public NodeConfig topology(final SlotTable topology)
    {
        this.topology = topology;
        return this;
    }

    public long forwardTimeoutMs()
    {
        return forwardTimeoutMs;
    }

    public NodeConfig forwardTimeoutMs(final long forwardTimeoutMs)
    {
        this.forwardTimeoutMs = forwardTimeoutMs;
        return this;
    }

    public long shutdownTimeoutMs()
    {
        return shutdownTimeoutMs;
    }

    public NodeConfig shutdownTimeoutMs(final long shutdownTimeoutMs)
    {
        this.shutdownTimeoutMs = shutdownTimeoutMs;
        return this;
    }

    /** The cluster file the topology came from, watched for changes by the node process; null when none. */
    public Path clusterFile()
    {
        return clusterFile;
    }

    public NodeConfig clusterFile(final Path clusterFile)
    {
        this.clusterFile = clusterFile;
        return this;
    }

    /** TCP port of the Prometheus endpoint ({@code GET /metrics} on the node's host); -1 = off, 0 = any free port. */
    public int metricsPort()
    {
        return metricsPort;
    }

    public NodeConfig metricsPort(final int metricsPort)
    {
        this.metricsPort = metricsPort;
        return this;
    }

    /** Validates the settings; called by {@link FerriteNode#start(NodeConfig)}. */
    public NodeConfig conclude()
    {
        if (nodeId < 0)
        {
            throw new IllegalArgumentException("nodeId must be >= 0: " + nodeId);
        }
        if (host == null || host.isBlank())
        {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException("port must be in 0..65535: " + port);
        }
        IdleStrategies.create(idleStrategy); // throws for an unknown name
        if (forwardTimeoutMs <= 0)
        {
            throw new IllegalArgumentException("forwardTimeoutMs must be > 0: " + forwardTimeoutMs);
        }
        if (metricsPort < METRICS_PORT_OFF || metricsPort > 65535)
        {
            throw new IllegalArgumentException("metricsPort must be -1 (off) or in 0..65535: " + metricsPort);
        }
        if (shutdownTimeoutMs < 0)
        {
            throw new IllegalArgumentException("shutdownTimeoutMs must be >= 0: " + shutdownTimeoutMs);
        }
        if (cache == null && cacheConfig == null)
        {
            throw new IllegalArgumentException("cacheConfig must not be null");
        }
        return this;
    }

    @Override
    public String toString()
    {
        return "NodeConfig{nodeId=" + nodeId + ", host=" + host + ", port=" + port + ", advertisedHost=" + advertisedHost() +
            ", aeronDir=" + aeronDirectoryName + ", idleStrategy=" + idleStrategy + ", auth=" +
            (sharedSecret != null && !sharedSecret.isEmpty() ? "on" : "off") + ", forwardTimeoutMs=" + forwardTimeoutMs +
            ", shutdownTimeoutMs=" + shutdownTimeoutMs + ", metricsPort=" + metricsPort + '}';
    }
}
