package dev.ferrite.client;

import dev.ferrite.transport.aeron.EmbeddedMediaDriver;
import dev.ferrite.transport.aeron.IdleStrategies;
import dev.ferrite.transport.sbe.ErrorCode;

import io.aeron.Aeron;
import io.aeron.Subscription;

import java.security.SecureRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;

/**
 * Everything one client owns, started in dependency order and closed in reverse: the media driver
 * (embedded unless an external directory is given; it has no thread, the poller runs it), the Aeron
 * client, the response subscription and its poller thread, the request slots, the node sessions, the router and the retry thread.
 */
final class ClientRuntime implements AutoCloseable
{
    private static final long RESOLVE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    final ClientConfig config;
    private EmbeddedMediaDriver driver;
    private Aeron aeron;
    private Subscription subscription;
    private AgentRunner pollerRunner;
    private ScheduledExecutorService retryExecutor;
    private NodeSessions sessions;
    ResponsePoller poller;
    /** The poller's duty, run by the poller thread or by a sync caller waiting for its answer. */
    PollerDuty pollerDuty;
    PendingRequests requests;
    RequestDispatcher dispatcher;
    Router router;
    long clientId;
    private volatile boolean closed;

    private ClientRuntime(final ClientConfig config)
    {
        this.config = config;
    }

    static ClientRuntime start(final ClientConfig config)
    {
        config.conclude();
        final ClientRuntime runtime = new ClientRuntime(config);
        try
        {
            runtime.startParts();
            return runtime;
        }
        catch (final RuntimeException | Error ex)
        {
            runtime.close();
            throw ex;
        }
    }

    private void startParts()
    {
        String directory = config.aeronDirectoryName();
        if (directory == null)
        {
            // No driver thread: the poller runs the driver's duty cycle (see DriverDuty).
            driver = EmbeddedMediaDriver.launchInvoked("client");
            directory = driver.aeronDirectoryName();
        }
        final AgentInvoker driverInvoker = driver != null ? driver.invoker() : null;
        aeron = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(directory)
            .driverAgentInvoker(driverInvoker)
            .useConductorAgentInvoker(driverInvoker != null));
        final ReplyImages replyImages = new ReplyImages();
        subscription = aeron.addSubscription(
            "aeron:udp?endpoint=" + config.responseHost() + ":0", config.responseStreamId(), image -> { }, replyImages);
        replyImages.subscription(subscription);
        final String responseChannel = resolveResponseChannel(subscription);

        requests = new PendingRequests(config.maxInFlight(), config.idleStrategy());
        poller = new ResponsePoller(subscription, requests);
        final Agent pollerAgent = driverInvoker == null ? poller :
            new CompositeAgent(new DriverDuty(driverInvoker, aeron.conductorAgentInvoker(), aeron.context().clientLock()), poller);
        final PollerWakeup pollerWakeup = new PollerWakeup(IdleStrategies.create(config.idleStrategy()));
        pollerDuty = new PollerDuty(pollerAgent);
        requests.pollerDuty(pollerDuty);
        pollerRunner = new AgentRunner(pollerWakeup, ClientRuntime::logError, null, pollerDuty);
        AgentRunner.startOnThread(pollerRunner, runnable -> daemon(runnable, "ferrite-client-poller"));
        retryExecutor = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "ferrite-client-retry"));

        clientId = new SecureRandom().nextLong();
        final SessionContext context = new SessionContext(
            aeron, requests, clientId, responseChannel, config.responseStreamId(), config.secret(),
            TimeUnit.MILLISECONDS.toNanos(config.connectTimeoutMs()), replyImages, pollerWakeup);
        sessions = new NodeSessions(context);
        final SeedList seeds = new SeedList(config.seeds(), sessions);
        final RequestDispatcher[] dispatcherRef = new RequestDispatcher[1];
        switch (config.routingMode())
        {
            case PROXY:
                router = new ProxyRouter(seeds, sessions);
                break;
            case HANDOFF:
                router = new HandoffRouter(seeds, sessions);
                break;
            default:
                router = new DirectRouter(seeds, sessions, (node, deadlineNs) -> dispatcherRef[0].fetchTopology(node, deadlineNs));
        }
        dispatcher = new RequestDispatcher(router, requests, config.maxMovedRetries(), retryExecutor);
        dispatcherRef[0] = dispatcher;
        router.start(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.requestTimeoutMs()));
    }

    NodeSessions sessions()
    {
        return sessions;
    }

    private static String resolveResponseChannel(final Subscription subscription)
    {
        final long deadlineNs = System.nanoTime() + RESOLVE_TIMEOUT_NS;
        String channel;
        while ((channel = subscription.tryResolveChannelEndpointPort()) == null)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new FerriteException(ErrorCode.INTERNAL, "response channel did not bind: " + subscription.channel());
            }
            Thread.onSpinWait();
        }
        return channel;
    }

    private static Thread daemon(final Runnable runnable, final String name)
    {
        final Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void logError(final Throwable error)
    {
        System.err.println("ferrite client poller: " + error);
    }

    boolean isClosed()
    {
        return closed;
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        CloseHelper.quietClose(pollerRunner);
        if (requests != null)
        {
            requests.failAll(new FerriteException(ErrorCode.UNAVAILABLE, "client closed"));
        }
        if (retryExecutor != null)
        {
            retryExecutor.shutdownNow();
        }
        if (sessions != null)
        {
            sessions.closeAll();
        }
        CloseHelper.quietClose(subscription);
        CloseHelper.quietClose(aeron);
        CloseHelper.quietClose(driver);
    }
}
