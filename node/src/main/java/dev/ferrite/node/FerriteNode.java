package dev.ferrite.node;

import dev.ferrite.engine.FerriteCache;
import dev.ferrite.node.proxy.PeerForwarder;
import dev.ferrite.node.server.Authenticator;
import dev.ferrite.node.server.EngineStatsAgent;
import dev.ferrite.node.server.NodeCounters;
import dev.ferrite.node.server.RequestHandler;
import dev.ferrite.node.server.ServerAgent;
import dev.ferrite.node.server.Topology;
import dev.ferrite.transport.ProtocolConstants;
import dev.ferrite.transport.aeron.EmbeddedMediaDriver;
import dev.ferrite.transport.aeron.IdleStrategies;
import dev.ferrite.transport.metrics.MetricsHttpServer;
import dev.ferrite.transport.metrics.PrometheusText;
import dev.ferrite.transport.routing.NodeEndpoint;
import dev.ferrite.transport.routing.SlotTable;

import io.aeron.Aeron;
import io.aeron.Subscription;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.SystemNanoClock;

/**
 * A running Ferrite node inside this JVM: the engine, a media driver (embedded unless an external
 * one is configured), the Aeron client and the server agent.
 *
 * <pre>{@code
 * try (FerriteNode node = FerriteNode.start(new NodeConfig().nodeId(1).port(0)))
 * {
 *     NodeEndpoint where = node.endpoint(); // 127.0.0.1 and the port it bound
 * }
 * }</pre>
 *
 * <p>Threading: the server runs on one agent thread ({@link ServerAgent}); {@link #applyTopology} and
 * {@link #close} may be called from any thread. {@link #close} is graceful: new requests are answered
 * STOPPING (not applied: clients send them again), forwards in flight are finished (up to
 * {@link NodeConfig#shutdownTimeoutMs()}), then everything is closed and the embedded driver's
 * directory deleted.
 */
public final class FerriteNode implements AutoCloseable
{
    private static final long RESOLVE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private final NodeConfig config;
    private final FerriteCache cache;
    private final boolean ownsCache;
    private final EmbeddedMediaDriver driver;
    private final Aeron aeron;
    private final NodeCounters counters;
    private final Topology topology;
    private final NodeEndpoint endpoint;
    private final ServerAgent agent;
    private final AgentRunner runner;
    private final EngineStatsAgent engineStats;
    private final MetricsHttpServer metrics;
    private boolean closed;

    private FerriteNode(final NodeConfig config)
    {
        this.config = config;
        this.ownsCache = config.cache() == null;
        FerriteCache createdCache = null;
        EmbeddedMediaDriver createdDriver = null;
        Aeron createdAeron = null;
        try
        {
            createdCache = ownsCache ? FerriteCache.create(config.cacheConfig()) : config.cache();
            final String aeronDir = config.aeronDirectoryName();
            if (aeronDir == null || aeronDir.isEmpty())
            {
                // The driver runs on the server's thread: one busy thread per node, not two.
                createdDriver = EmbeddedMediaDriver.launchInvoked("node-" + config.nodeId());
            }
            final AgentInvoker driverInvoker = createdDriver != null ? createdDriver.invoker() : null;
            createdAeron = Aeron.connect(new Aeron.Context()
                .driverAgentInvoker(driverInvoker)
                .aeronDirectoryName(createdDriver != null ? createdDriver.aeronDirectoryName() : aeronDir)
                .useConductorAgentInvoker(true));
            final Aeron aeronClient = createdAeron;
            this.counters = new NodeCounters(
                label -> aeronClient.addCounter(NodeCounters.COUNTER_TYPE_ID, label), "ferrite node " + config.nodeId() + ": ");

            final ServerAgent[] agentRef = new ServerAgent[1];
            final Subscription requests = aeronClient.addSubscription(
                "aeron:udp?endpoint=" + config.host() + ":" + config.port(), ProtocolConstants.REQUEST_STREAM_ID,
                image -> { }, image -> agentRef[0].onImageUnavailable(image));
            final int port = resolvePort(aeronClient, requests);
            this.endpoint = new NodeEndpoint(config.nodeId(), config.advertisedHost(), port);
            this.topology = new Topology(config.topology() != null ? config.topology() : singleNodeTable(endpoint));

            final Subscription peerResponses = aeronClient.addSubscription(
                "aeron:udp?endpoint=" + config.host() + ":0", ProtocolConstants.RESPONSE_STREAM_ID);
            final int responsePort = resolvePort(aeronClient, peerResponses);
            final String responseChannel = "aeron:udp?endpoint=" + config.advertisedHost() + ":" + responsePort;

            final String secret = config.sharedSecret();
            final boolean auth = secret != null && !secret.isEmpty();
            final RequestHandler handler = new RequestHandler(createdCache, topology, config.nodeId(), counters);
            this.agent = new ServerAgent(aeronClient, aeronClient.conductorAgentInvoker(), requests, handler,
                auth ? new Authenticator(secret) : null, counters, topology, config.nodeId(),
                createdCache.config().maxKeyLength(), createdCache.config().maxValueLength());
            agentRef[0] = agent;
            agent.forwarder(new PeerForwarder(aeronClient, peerResponses, responseChannel, topology, counters,
                auth ? new Authenticator(secret) : null, TimeUnit.MILLISECONDS.toNanos(config.forwardTimeoutMs()),
                agent::relay));
            final String labelPrefix = "ferrite node " + config.nodeId() + ": ";
            this.engineStats = new EngineStatsAgent(createdCache, SystemNanoClock.INSTANCE,
                label -> aeronClient.addCounter(NodeCounters.COUNTER_TYPE_ID, label), labelPrefix);
            this.runner = new AgentRunner(IdleStrategies.create(config.idleStrategy()),
                ex -> System.err.println("ferrite node " + config.nodeId() + ": " + ex), null,
                driverInvoker != null ? new CompositeAgent(new InvokerAgent(driverInvoker), agent, engineStats) :
                    new CompositeAgent(agent, engineStats));
            this.metrics = config.metricsPort() == NodeConfig.METRICS_PORT_OFF ? null : MetricsHttpServer.start(config.host(),
                config.metricsPort(), () -> PrometheusText.render(aeronClient.countersReader(), NodeCounters.COUNTER_TYPE_ID,
                    Map.of("node", Integer.toString(config.nodeId()))));
        }
        catch (final IOException ex)
        {
            CloseHelper.quietCloseAll(createdAeron, createdDriver);
            if (ownsCache && createdCache != null)
            {
                createdCache.close();
            }
            throw new UncheckedIOException("cannot open the metrics port " + config.metricsPort(), ex);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(createdAeron, createdDriver);
            if (ownsCache && createdCache != null)
            {
                createdCache.close();
            }
            throw ex;
        }
        this.cache = createdCache;
        this.driver = createdDriver;
        this.aeron = createdAeron;
        AgentRunner.startOnThread(runner);
    }

    /** Starts a node: engine, media driver, server. Close it to stop (gracefully). */
    public static FerriteNode start(final NodeConfig config)
    {
        return new FerriteNode(config.conclude());
    }

    /** Where clients reach this node; the port is the bound one when 0 was asked. */
    public NodeEndpoint endpoint()
    {
        return endpoint;
    }

    public int nodeId()
    {
        return config.nodeId();
    }

    /**
     * Installs a new slot table if its epoch is higher than the current one (tests bind ephemeral
     * ports first and build the table after). Thread-safe.
     *
     * @return true when the table was replaced.
     */
    public boolean applyTopology(final SlotTable table)
    {
        return topology.apply(table);
    }

    /** The slot table in force. */
    public SlotTable topology()
    {
        return topology.view().table();
    }

    /** The engine this node serves (for tests and embedding). */
    public FerriteCache cache()
    {
        return cache;
    }

    /** The node's counters (also visible to Aeron's tools as counters of type {@link NodeCounters#COUNTER_TYPE_ID}). */
    public NodeCounters counters()
    {
        return counters;
    }

    /** The Prometheus endpoint's port, or -1 when it is off. */
    public int metricsPort()
    {
        return metrics == null ? NodeConfig.METRICS_PORT_OFF : metrics.port();
    }

    /** The media driver directory this node uses (embedded or external). */
    public String aeronDirectoryName()
    {
        return aeron.context().aeronDirectoryName();
    }

    /**
     * Graceful stop: answers new requests STOPPING, waits for forwards in flight (bounded by
     * {@link NodeConfig#shutdownTimeoutMs()}), then closes the server, the Aeron client, the embedded
     * driver (deleting its directory) and the engine if the node created it. Idempotent.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        agent.requestStop();
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.shutdownTimeoutMs());
        while (!agent.isDrained() && System.nanoTime() - deadlineNs < 0 && !runner.isClosed())
        {
            sleepMillis(1);
        }
        CloseHelper.quietClose(metrics);
        CloseHelper.quietClose(runner);
        CloseHelper.quietClose(aeron);
        CloseHelper.quietClose(driver);
        if (ownsCache)
        {
            cache.close();
        }
    }

    @Override
    public String toString()
    {
        return "FerriteNode{" + endpoint + '}';
    }

    static SlotTable singleNodeTable(final NodeEndpoint self)
    {
        final int[] owners = new int[SlotTable.SLOT_COUNT];
        Arrays.fill(owners, self.nodeId());
        return new SlotTable(0, List.of(self), owners);
    }

    private static int resolvePort(final Aeron aeron, final Subscription subscription)
    {
        final long deadlineNs = System.nanoTime() + RESOLVE_TIMEOUT_NS;
        while (true)
        {
            final String resolved = subscription.tryResolveChannelEndpointPort();
            if (resolved != null)
            {
                final int colon = resolved.lastIndexOf(':');
                final int end = resolved.indexOf('|', colon) < 0 ? resolved.length() : resolved.indexOf('|', colon);
                return Integer.parseInt(resolved.substring(colon + 1, end));
            }
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException("could not resolve the port of " + subscription.channel());
            }
            aeron.conductorAgentInvoker().invoke();
            sleepMillis(1);
        }
    }

    private static void sleepMillis(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
