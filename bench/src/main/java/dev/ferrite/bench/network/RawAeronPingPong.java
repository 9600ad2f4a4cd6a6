package dev.ferrite.bench.network;

import dev.ferrite.transport.aeron.EmbeddedMediaDriver;
import dev.ferrite.transport.aeron.IdleStrategies;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Raw Aeron ping-pong over loopback UDP: the floor that Ferrite's round trips are compared with.
 *
 * <p>Same shape as a Ferrite client and node: two media drivers (a client's and a server's, as two
 * processes would have), a request stream 10 from the pinger's publication to the echo's
 * subscription, a response stream 20 back, both on {@code 127.0.0.1} ephemeral ports. The echo
 * ({@link EchoAgent}) runs on its own thread; the pinger is the caller's thread. Exclusive
 * publications (single writer) are raw Aeron's fastest path, which makes this the stricter baseline.
 * Every driver, the echo and the pinger use the same named idle strategy.
 *
 * <p>Neither side has a driver thread: like a Ferrite node, the echo thread runs its driver; like a
 * Ferrite client (whose poller runs its driver), the ping side's driver and Aeron conductor are
 * invoked by whoever owns the ping side's duty: the pinger, inline, while it waits for an answer
 * (so a round trip crosses no thread hop), and a keep-alive thread between exchanges, so that
 * heartbeats keep the streams connected while other stacks are measured. Ownership is one CAS;
 * the keep-alive only tries, and parks for a millisecond when the pinger holds it.
 *
 * <p>Request and response lengths are chosen per call, so one set-up serves the get-sized and the
 * set-sized exchanges.
 *
 * <p>Hand-off mode ({@link #startWithPollerHandOff}) is a diagnostic: a separate poller thread takes
 * the answers and unparks the waiting caller, as a client with one response poller shared by many
 * callers must. Comparing it with the direct mode shows what that extra thread hop costs on this
 * machine, apart from any protocol or server work.
 */
public final class RawAeronPingPong implements AutoCloseable
{
    private static final int REQUEST_STREAM_ID = 10;
    private static final int RESPONSE_STREAM_ID = 20;
    private static final long ANSWER_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    private final EmbeddedMediaDriver serverDriver;
    private final EmbeddedMediaDriver clientDriver;
    private final Aeron serverAeron;
    private final Aeron clientAeron;
    private final AgentRunner echoRunner;
    private final ExclusivePublication requests;
    private final Subscription responses;
    private final IdleStrategy idle;
    private final UnsafeBuffer request;
    private final FragmentHandler onResponse = this::onResponse;
    private final AgentRunner pollerRunner; // null: the caller polls the responses itself
    private final AgentInvoker pingDriver;
    private final AgentInvoker pingConductor;
    /** True while one thread runs the ping side's driver and conductor: they are single-threaded. */
    private final AtomicBoolean pingDutyOwned = new AtomicBoolean();
    private final Thread keepAlive;
    private volatile boolean closing;
    private Thread caller;

    // Written by the caller before it sends; volatile so a hand-off poller sees them with the answer.
    private int expectedResponseBytes;
    private volatile long correlationId;
    // The caller's own flag in direct mode; written by the poller in hand-off mode.
    private volatile boolean answered;

    private RawAeronPingPong(final String idleStrategy, final int maxMessageBytes, final boolean pollerHandOff)
    {
        // The echo side is built like a Ferrite node: its driver and its Aeron client's conductor run
        // on the echo thread, so the floor and Ferrite pay for the same number of busy threads.
        serverDriver = EmbeddedMediaDriver.launchInvoked("raw-pong");
        clientDriver = EmbeddedMediaDriver.launchInvoked("raw-ping");
        serverAeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(serverDriver.aeronDirectoryName())
            .driverAgentInvoker(serverDriver.invoker()).useConductorAgentInvoker(true));
        clientAeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(clientDriver.aeronDirectoryName())
            .driverAgentInvoker(clientDriver.invoker()).useConductorAgentInvoker(true));
        pingDriver = clientDriver.invoker();
        pingConductor = clientAeron.conductorAgentInvoker();

        final Subscription echoRequests = serverAeron.addSubscription("aeron:udp?endpoint=127.0.0.1:0", REQUEST_STREAM_ID);
        responses = clientAeron.addSubscription("aeron:udp?endpoint=127.0.0.1:0", RESPONSE_STREAM_ID);
        requests = clientAeron.addExclusivePublication(
            "aeron:udp?endpoint=" + awaitEndpoint(echoRequests), REQUEST_STREAM_ID);
        final ExclusivePublication echoResponses = serverAeron.addExclusivePublication(
            "aeron:udp?endpoint=" + awaitEndpoint(responses), RESPONSE_STREAM_ID);
        echoRunner = new AgentRunner(IdleStrategies.create(idleStrategy), Throwable::printStackTrace, null,
            new CompositeAgent(invoking(serverDriver.invoker(), "raw-pong-driver"),
                invoking(serverAeron.conductorAgentInvoker(), "raw-pong-conductor"),
                new EchoAgent(echoRequests, echoResponses, maxMessageBytes)));
        AgentRunner.startOnThread(echoRunner); // it also drives the echo side's driver, which connecting needs
        keepAlive = new Thread(this::keepPingSideAlive, "raw-ping-keep-alive");
        keepAlive.setDaemon(true);
        keepAlive.start();
        awaitConnected(requests);
        awaitConnected(echoResponses);
        idle = IdleStrategies.create(idleStrategy);
        request = new UnsafeBuffer(new byte[maxMessageBytes]);
        pollerRunner = pollerHandOff ? new AgentRunner(IdleStrategies.create(idleStrategy), Throwable::printStackTrace, null,
            new Agent()
            {
                public int doWork()
                {
                    return responses.poll(onResponse, 16);
                }

                public String roleName()
                {
                    return "raw-aeron-response-poller";
                }
            }) : null;
        if (pollerRunner != null)
        {
            AgentRunner.startOnThread(pollerRunner);
        }
    }

    /** Runs the ping side's driver and conductor whenever no exchange owns them. */
    private void keepPingSideAlive()
    {
        while (!closing)
        {
            if (pingDutyOwned.compareAndSet(false, true))
            {
                try
                {
                    pingDuty();
                }
                finally
                {
                    pingDutyOwned.set(false);
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private int pingDuty()
    {
        return pingDriver.invoke() + pingConductor.invoke();
    }

    private static Agent invoking(final AgentInvoker invoker, final String roleName)
    {
        return new Agent()
        {
            public int doWork()
            {
                return invoker.invoke();
            }

            public String roleName()
            {
                return roleName;
            }
        };
    }

    /**
     * @param idleStrategy    {@link IdleStrategies} name for the drivers, the echo and the pinger.
     * @param maxMessageBytes the largest request or response that will be asked for.
     */
    public static RawAeronPingPong start(final String idleStrategy, final int maxMessageBytes)
    {
        if (maxMessageBytes < EchoAgent.MIN_REQUEST_BYTES)
        {
            throw new IllegalArgumentException("maxMessageBytes must be >= " + EchoAgent.MIN_REQUEST_BYTES + ": " + maxMessageBytes);
        }
        return new RawAeronPingPong(idleStrategy, maxMessageBytes, false);
    }

    /** As {@link #start}, but answers are taken by a poller thread that unparks the caller. */
    public static RawAeronPingPong startWithPollerHandOff(final String idleStrategy, final int maxMessageBytes)
    {
        if (maxMessageBytes < EchoAgent.MIN_REQUEST_BYTES)
        {
            throw new IllegalArgumentException("maxMessageBytes must be >= " + EchoAgent.MIN_REQUEST_BYTES + ": " + maxMessageBytes);
        }
        return new RawAeronPingPong(idleStrategy, maxMessageBytes, true);
    }

    /** A round trip of a {@code requestBytes} request and a {@code responseBytes} answer. */
    public RoundTrip roundTrip(final int requestBytes, final int responseBytes)
    {
        if (requestBytes < EchoAgent.MIN_REQUEST_BYTES || requestBytes > request.capacity() ||
            responseBytes < EchoAgent.MIN_RESPONSE_BYTES || responseBytes > request.capacity())
        {
            throw new IllegalArgumentException("requestBytes=" + requestBytes + " responseBytes=" + responseBytes +
                " must be in " + EchoAgent.MIN_REQUEST_BYTES + ".." + request.capacity());
        }
        return () -> exchange(requestBytes, responseBytes);
    }

    private void exchange(final int requestBytes, final int responseBytes)
    {
        final long id = correlationId + 1;
        request.putLong(EchoAgent.CORRELATION_OFFSET, id);
        request.putInt(EchoAgent.RESPONSE_LENGTH_OFFSET, responseBytes);
        expectedResponseBytes = responseBytes;
        answered = false;
        caller = Thread.currentThread();
        correlationId = id;
        final long deadlineNs = System.nanoTime() + ANSWER_TIMEOUT_NS;
        while (!pingDutyOwned.compareAndSet(false, true))
        {
            Thread.onSpinWait(); // the keep-alive is inside one short duty cycle
        }
        try
        {
            offerAndAwait(requestBytes, deadlineNs);
        }
        finally
        {
            pingDutyOwned.set(false);
        }
    }

    private void offerAndAwait(final int requestBytes, final long deadlineNs)
    {
        long result;
        idle.reset();
        while ((result = requests.offer(request, 0, requestBytes)) < 0)
        {
            checkOffer(result, deadlineNs);
            idle.idle(pingDuty());
        }
        idle.reset();
        while (!answered)
        {
            final int fragments = pingDuty() + (pollerRunner == null ? responses.poll(onResponse, 1) : 0);
            if (fragments == 0 && System.nanoTime() > deadlineNs)
            {
                throw new IllegalStateException("no answer to request " + correlationId + " within 5 s");
            }
            idle.idle(fragments);
        }
    }

    private void onResponse(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final long answerTo = buffer.getLong(offset + EchoAgent.CORRELATION_OFFSET);
        if (answerTo != correlationId || length != expectedResponseBytes)
        {
            throw new IllegalStateException("expected answer " + correlationId + " of " + expectedResponseBytes +
                " bytes, got " + answerTo + " of " + length);
        }
        answered = true;
        if (pollerRunner != null)
        {
            LockSupport.unpark(caller); // the caller may be parked by its backoff idle strategy
        }
    }

    private static void checkOffer(final long result, final long deadlineNs)
    {
        if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED || System.nanoTime() > deadlineNs)
        {
            throw new IllegalStateException("cannot send a request: offer returned " + result);
        }
    }

    private static String awaitEndpoint(final Subscription subscription)
    {
        final long deadlineNs = System.nanoTime() + ANSWER_TIMEOUT_NS;
        String endpoint;
        while ((endpoint = subscription.resolvedEndpoint()) == null)
        {
            if (System.nanoTime() > deadlineNs)
            {
                throw new IllegalStateException("subscription " + subscription.channel() + " never bound a port");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
        return endpoint;
    }

    private static void awaitConnected(final Publication publication)
    {
        final long deadlineNs = System.nanoTime() + ANSWER_TIMEOUT_NS;
        while (!publication.isConnected())
        {
            if (System.nanoTime() > deadlineNs)
            {
                throw new IllegalStateException("publication " + publication.channel() + " never connected");
            }
            Thread.yield();
        }
    }

    @Override
    public void close()
    {
        closing = true;
        try
        {
            keepAlive.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        CloseHelper.closeAll(pollerRunner, echoRunner, clientAeron, serverAeron, clientDriver, serverDriver);
    }
}
