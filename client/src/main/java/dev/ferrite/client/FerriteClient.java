package dev.ferrite.client;

import dev.ferrite.transport.routing.SlotTable;
import dev.ferrite.transport.sbe.ErrorCode;
import dev.ferrite.transport.sbe.ResultCode;
import dev.ferrite.transport.sbe.SetCondition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The Ferrite client: sync and async calls over byte arrays, and a zero-garbage sync path over Agrona
 * buffers, routed to the cluster by the configured {@link RoutingMode}.
 *
 * <pre>{@code
 * try (FerriteClient client = FerriteClient.connect(new ClientConfig().seeds("10.0.0.1:7000", "10.0.0.2:7000")))
 * {
 *     client.set(key, value, 60_000);                      // TTL one minute
 *     GetResult hit = client.get(key);
 *     client.getAsync(key).thenAccept(r -> ...);            // completes on the poller's duty (never block there)
 *     client.withTimeout(Duration.ofMillis(5)).delete(key); // a per-request timeout
 * }
 * }</pre>
 *
 * <h2>Threading design</h2>
 * <ul>
 * <li><b>Receiving.</b> One response subscription per client (an ephemeral UDP port that every node's
 * session publishes to) is polled by one thread, the {@link ResponsePoller} agent. It reads each answer's
 * correlation id, finds the request slot with one mask ({@code id & (capacity - 1)}), wins the slot
 * with a CAS on its in-flight id, copies the answer in, then unparks the sync waiter or runs the async
 * completion. Every millisecond it also times out requests past their deadline. The same duty runs the
 * embedded media driver's cycle and the Aeron conductor's ({@link DriverDuty}: no driver thread). A
 * sync caller waiting for its answer runs that duty itself whenever no other thread holds it
 * ({@link PollerDuty}): it sends its own request and reads its own answer with no thread hop, and
 * completes whatever other answers it reads. An async caller wakes the poller if it is parked
 * ({@link PollerWakeup}).</li>
 * <li><b>Sending.</b> Callers send on their own thread: they take a slot from a lock-free pool
 * (Agrona's {@code ManyToManyConcurrentArrayQueue}), encode into the slot's buffer with the slot's SBE
 * flyweights, and {@code offer} to the node's publication. It is an {@code ExclusivePublication}, so
 * each client has its own Aeron session even when clients share a media driver (the node tells clients
 * apart by session id); all threads share it, and a lock held only for the copy into the term buffer
 * serializes their offers (see {@link NodeSession}).</li>
 * <li><b>Pending requests.</b> A fixed table of {@code maxInFlight} slots; correlation ids are
 * {@code sequence * capacity + index}, unique for the client's life. Exactly one of the poller (answer),
 * the sweep or waiter (timeout) and the sender (offer failed) wins the CAS {@code id -> 0}, so matching
 * and timing out take no lock, and a late answer, finding another id or none, is dropped. Pipelining is
 * just many slots in flight on one session.</li>
 * <li><b>Back-pressure.</b> {@code BACK_PRESSURED} and {@code ADMIN_ACTION} are retried with the idle
 * strategy until the request's deadline; an empty slot pool makes callers wait for a free slot, up to
 * their deadline, so at most {@code maxInFlight} requests are outstanding.</li>
 * <li><b>Blocking steps.</b> Opening a session (hello, authentication) and fetching a topology block the
 * thread that needs them: the caller, or for async MOVED retries a single retry thread, never the
 * poller. Sync calls from a thread running the poller's duty (inside a non-async continuation, on the
 * poller thread or on a sync caller that was running the duty) would wait for themselves and throw
 * {@link IllegalStateException}; async calls from it are handed to the retry thread.</li>
 * <li><b>Lost sessions.</b> When a node's reply image goes away (it stopped or restarted), Aeron's
 * conductor thread marks that node's session stale ({@link ReplyImages}); the next request says hello
 * again.</li>
 * </ul>
 * Progress: the poller is non-blocking; a sync call blocks until its answer or its deadline; the hot path
 * (open session, free slot, no MOVED) takes one lock, the per-node offer lock held for the term copy,
 * and allocates nothing on the zero-garbage calls.
 *
 * <p>Instances are thread-safe. {@link #withTimeout(Duration)} returns a view with another request
 * timeout that shares this client; closing a view does nothing.
 */
public class FerriteClient implements AutoCloseable
{
    private static final int NOT_KEYED = -1;

    private final ClientRuntime runtime;
    private final RequestDispatcher dispatcher;
    private final PendingRequests requests;
    private final long timeoutNs;
    private final boolean proxyFlag;
    private final boolean ownsRuntime;

    private FerriteClient(final ClientRuntime runtime, final long timeoutNs, final boolean ownsRuntime)
    {
        this.runtime = runtime;
        this.dispatcher = runtime.dispatcher;
        this.requests = runtime.requests;
        this.timeoutNs = timeoutNs;
        this.proxyFlag = runtime.router.proxyFlag();
        this.ownsRuntime = ownsRuntime;
    }

    /**
     * Starts the client: media driver (unless external), response channel, poller; in DIRECT mode also
     * fetches the slot table from the first seed that answers.
     *
     * @throws FerriteException when no seed answers (DIRECT), or the driver cannot start.
     */
    public static FerriteClient connect(final ClientConfig config)
    {
        final ClientRuntime runtime = ClientRuntime.start(config);
        return new FerriteClient(runtime, TimeUnit.MILLISECONDS.toNanos(config.requestTimeoutMs()), true);
    }

    /** A view of this client whose requests time out after {@code timeout}; it shares connections and slots. */
    public FerriteClient withTimeout(final Duration timeout)
    {
        if (timeout.isNegative() || timeout.isZero())
        {
            throw new IllegalArgumentException("timeout must be > 0: " + timeout);
        }
        return new FerriteClient(runtime, timeout.toNanos(), false);
    }

    public RoutingMode routingMode()
    {
        return runtime.config.routingMode();
    }

    /** Random id this client introduces itself with (the proof binds it). */
    public long clientId()
    {
        return runtime.clientId;
    }

    // ---------------------------------------------------------------- byte[] API, sync

    public GetResult get(final byte[] key)
    {
        final PendingRequest request = begin();
        try
        {
            encodeGet(request, key);
            dispatcher.execute(request);
            return Answers.getResult(request);
        }
        finally
        {
            requests.release(request);
        }
    }

    /** One result per key, in order; keys are sent to their owners in one request per node. */
    public List<GetResult> getAll(final List<byte[]> keys)
    {
        checkNotPollerThread();
        return join(getAllAsync(keys));
    }

    public WriteResult set(final byte[] key, final byte[] value)
    {
        return set(key, value, 0, SetCondition.ALWAYS, 0);
    }

    /** @param ttlMillis time to live, 0 = never expires. */
    public WriteResult set(final byte[] key, final byte[] value, final long ttlMillis)
    {
        return set(key, value, ttlMillis, SetCondition.ALWAYS, 0);
    }

    public WriteResult setIfAbsent(final byte[] key, final byte[] value, final long ttlMillis)
    {
        return set(key, value, ttlMillis, SetCondition.IF_ABSENT, 0);
    }

    public WriteResult setIfPresent(final byte[] key, final byte[] value, final long ttlMillis)
    {
        return set(key, value, ttlMillis, SetCondition.IF_PRESENT, 0);
    }

    public WriteResult setIfVersion(final byte[] key, final byte[] value, final long ttlMillis, final long expectedVersion)
    {
        return set(key, value, ttlMillis, SetCondition.IF_VERSION, expectedVersion);
    }

    public WriteResult set(final byte[] key, final byte[] value, final long ttlMillis, final SetCondition condition, final long expectedVersion)
    {
        final PendingRequest request = begin();
        try
        {
            encodeSet(request, key, value, ttlMillis, condition, expectedVersion);
            dispatcher.execute(request);
            return Answers.writeResult(request);
        }
        finally
        {
            requests.release(request);
        }
    }

    public WriteResult delete(final byte[] key)
    {
        return delete(key, 0);
    }

    /** @param expectedVersion delete only this version; 0 = any. */
    public WriteResult delete(final byte[] key, final long expectedVersion)
    {
        final PendingRequest request = begin();
        try
        {
            encodeDelete(request, key, expectedVersion);
            dispatcher.execute(request);
            return Answers.writeResult(request);
        }
        finally
        {
            requests.release(request);
        }
    }

    /** Sets a new TTL (0 = never expires) on a live key. */
    public WriteResult touch(final byte[] key, final long ttlMillis)
    {
        final PendingRequest request = begin();
        try
        {
            encodeTouch(request, key, ttlMillis);
            dispatcher.execute(request);
            return Answers.writeResult(request);
        }
        finally
        {
            requests.release(request);
        }
    }

    /** Adds delta to a decimal value, creating it as {@code delta} when absent; returns the new value. */
    public long increment(final byte[] key, final long delta)
    {
        return increment(key, delta, delta, 0);
    }

    public long decrement(final byte[] key, final long delta)
    {
        return increment(key, -delta, -delta, 0);
    }

    /**
     * @param initialValue stored when the key is absent (delta is then not added).
     * @param ttlMillis    applies only when the key is created.
     * @throws FerriteException with NOT_A_NUMBER or NUMBER_OVERFLOW.
     */
    public long increment(final byte[] key, final long delta, final long initialValue, final long ttlMillis)
    {
        final PendingRequest request = begin();
        try
        {
            encodeIncrement(request, key, delta, initialValue, ttlMillis);
            dispatcher.execute(request);
            return Answers.numericValue(request);
        }
        finally
        {
            requests.release(request);
        }
    }

    /** Round trip to the current seed (or proxy) node, in nanoseconds. */
    public long ping()
    {
        return nodeLevel(null, (request) -> request.codecs.ping(request.requestBuffer, System.nanoTime()), Answers::pongRoundTripNanos);
    }

    public long ping(final String hostPort)
    {
        return nodeLevel(hostPort, (request) -> request.codecs.ping(request.requestBuffer, System.nanoTime()), Answers::pongRoundTripNanos);
    }

    /** The slot table of the current seed (or proxy) node; in DIRECT mode also adopted if newer. */
    public SlotTable topology()
    {
        return topology(null);
    }

    public SlotTable topology(final String hostPort)
    {
        final SlotTable table = nodeLevel(hostPort, (request) -> request.codecs.topology(request.requestBuffer), TopologyReader::read);
        if (runtime.router instanceof DirectRouter direct)
        {
            direct.install(table);
        }
        return table;
    }

    public NodeStats stats()
    {
        return stats(null);
    }

    public NodeStats stats(final String hostPort)
    {
        return nodeLevel(hostPort, (request) -> request.codecs.stats(request.requestBuffer), Answers::stats);
    }

    // ---------------------------------------------------------------- byte[] API, async

    public CompletableFuture<GetResult> getAsync(final byte[] key)
    {
        return submit(request -> encodeGet(request, key), Answers::getResult);
    }

    public CompletableFuture<WriteResult> setAsync(final byte[] key, final byte[] value, final long ttlMillis)
    {
        return setAsync(key, value, ttlMillis, SetCondition.ALWAYS, 0);
    }

    public CompletableFuture<WriteResult> setAsync(
        final byte[] key, final byte[] value, final long ttlMillis, final SetCondition condition, final long expectedVersion)
    {
        return submit(request -> encodeSet(request, key, value, ttlMillis, condition, expectedVersion), Answers::writeResult);
    }

    public CompletableFuture<WriteResult> deleteAsync(final byte[] key, final long expectedVersion)
    {
        return submit(request -> encodeDelete(request, key, expectedVersion), Answers::writeResult);
    }

    public CompletableFuture<WriteResult> touchAsync(final byte[] key, final long ttlMillis)
    {
        return submit(request -> encodeTouch(request, key, ttlMillis), Answers::writeResult);
    }

    public CompletableFuture<Long> incrementAsync(final byte[] key, final long delta, final long initialValue, final long ttlMillis)
    {
        return submit(request -> encodeIncrement(request, key, delta, initialValue, ttlMillis), Answers::numericValue);
    }

    /** Round trip in nanoseconds to {@code hostPort}, or to the current seed (or proxy) node when null. */
    public CompletableFuture<Long> pingAsync(final String hostPort)
    {
        return submit(request -> encodeNodeLevel(request, hostPort, request.codecs.ping(request.requestBuffer, System.nanoTime())),
            Answers::pongRoundTripNanos);
    }

    /** The slot table of {@code hostPort}, or of the current seed (or proxy) node when null; not adopted. */
    public CompletableFuture<SlotTable> topologyAsync(final String hostPort)
    {
        return submit(request -> encodeNodeLevel(request, hostPort, request.codecs.topology(request.requestBuffer)), TopologyReader::read);
    }

    /** The counters of {@code hostPort}, or of the current seed (or proxy) node when null. */
    public CompletableFuture<NodeStats> statsAsync(final String hostPort)
    {
        return submit(request -> encodeNodeLevel(request, hostPort, request.codecs.stats(request.requestBuffer)), Answers::stats);
    }

    /**
     * One result per key, in order. Keys are grouped by the node the router picks (all to one node in
     * PROXY mode), one MultiGetRequest per group; entries a node answers MOVED are fetched one by one.
     */
    public CompletableFuture<List<GetResult>> getAllAsync(final List<byte[]> keys)
    {
        final Map<NodeSession, List<Integer>> groups = new IdentityHashMap<>();
        for (int i = 0; i < keys.size(); i++)
        {
            final byte[] key = keys.get(i);
            final int slot = proxyFlag ? NOT_KEYED : SlotTable.slotOf(new UnsafeBuffer(key), 0, key.length);
            groups.computeIfAbsent(runtime.router.route(slot), node -> new ArrayList<>()).add(i);
        }
        final GetResult[] results = new GetResult[keys.size()];
        final List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (final Map.Entry<NodeSession, List<Integer>> group : groups.entrySet())
        {
            final List<Integer> indexes = group.getValue();
            final List<byte[]> groupKeys = new ArrayList<>(indexes.size());
            indexes.forEach(index -> groupKeys.add(keys.get(index)));
            final CompletableFuture<List<GetResult>> answer = submit(
                request ->
                {
                    request.requestLength = request.codecs.multiGet(request.requestBuffer, proxyFlag, groupKeys);
                    request.target = group.getKey();
                },
                request -> Answers.multiGet(request, groupKeys.size()));
            parts.add(answer.thenCompose(entries ->
            {
                final List<CompletableFuture<Void>> moved = new ArrayList<>();
                for (int i = 0; i < entries.size(); i++)
                {
                    final int index = indexes.get(i);
                    if (entries.get(i) == null)
                    {
                        moved.add(getAsync(keys.get(index)).thenAccept(result -> results[index] = result));
                    }
                    else
                    {
                        results[index] = entries.get(i);
                    }
                }
                return CompletableFuture.allOf(moved.toArray(new CompletableFuture[0]));
            }));
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture[0])).thenApply(ignored -> Arrays.asList(results));
    }

    // ---------------------------------------------------------------- zero-garbage API

    /**
     * Copies the value of {@code key} into {@code dst} at {@code dstOffset}, allocating nothing in steady
     * state.
     *
     * @param info receives version and TTL; may be null.
     * @return the value's length, {@link ClientStatus#NOT_FOUND}, or {@link ClientStatus#BUFFER_TOO_SMALL}
     *     when {@code dst} cannot grow to hold it.
     * @throws FerriteTimeoutException at the deadline; {@link FerriteException} for an error answer.
     */
    public int get(
        final DirectBuffer key, final int keyOffset, final int keyLength, final MutableDirectBuffer dst, final int dstOffset, final EntryInfo info)
    {
        final PendingRequest request = begin();
        try
        {
            request.routingSlot = SlotTable.slotOf(key, keyOffset, keyLength);
            request.requestLength = request.codecs.get(request.requestBuffer, proxyFlag, key, keyOffset, keyLength);
            dispatcher.execute(request);
            final var value = Answers.value(request);
            if (info != null)
            {
                info.set(value.version(), value.ttlRemainingMillis());
            }
            if (value.result() != ResultCode.OK)
            {
                return ClientStatus.NOT_FOUND;
            }
            final int length = value.valueLength();
            if (!dst.isExpandable() && dstOffset + length > dst.capacity())
            {
                return ClientStatus.BUFFER_TOO_SMALL;
            }
            return value.getValue(dst, dstOffset, length);
        }
        finally
        {
            requests.release(request);
        }
    }

    public int get(final DirectBuffer key, final int keyOffset, final int keyLength, final MutableDirectBuffer dst, final int dstOffset)
    {
        return get(key, keyOffset, keyLength, dst, dstOffset, null);
    }

    /**
     * Stores a value, allocating nothing in steady state.
     *
     * @return the new version (> 0), or {@link ClientStatus#EXISTS}, {@link ClientStatus#NOT_FOUND},
     *     {@link ClientStatus#VERSION_MISMATCH} when the condition did not hold.
     */
    public long set(
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final DirectBuffer value,
        final int valueOffset,
        final int valueLength,
        final long ttlMillis,
        final SetCondition condition,
        final long expectedVersion)
    {
        final PendingRequest request = begin();
        try
        {
            request.routingSlot = SlotTable.slotOf(key, keyOffset, keyLength);
            request.requestLength = request.codecs.set(
                request.requestBuffer, proxyFlag, key, keyOffset, keyLength, value, valueOffset, valueLength, ttlMillis, condition, expectedVersion);
            dispatcher.execute(request);
            final var answer = Answers.value(request);
            return statusOr(answer.result(), answer.version());
        }
        finally
        {
            requests.release(request);
        }
    }

    public long set(
        final DirectBuffer key, final int keyOffset, final int keyLength, final DirectBuffer value, final int valueOffset, final int valueLength,
        final long ttlMillis)
    {
        return set(key, keyOffset, keyLength, value, valueOffset, valueLength, ttlMillis, SetCondition.ALWAYS, 0);
    }

    /**
     * Deletes a key (only at {@code expectedVersion} unless 0), allocating nothing in steady state.
     *
     * @return 0, {@link ClientStatus#NOT_FOUND} or {@link ClientStatus#VERSION_MISMATCH}.
     */
    public long delete(final DirectBuffer key, final int keyOffset, final int keyLength, final long expectedVersion)
    {
        final PendingRequest request = begin();
        try
        {
            request.routingSlot = SlotTable.slotOf(key, keyOffset, keyLength);
            request.requestLength = request.codecs.delete(request.requestBuffer, proxyFlag, key, keyOffset, keyLength, expectedVersion);
            dispatcher.execute(request);
            return statusOr(Answers.value(request).result(), 0);
        }
        finally
        {
            requests.release(request);
        }
    }

    /**
     * Sets a new TTL (0 = never expires) on a live key, allocating nothing in steady state.
     *
     * @return 0 or {@link ClientStatus#NOT_FOUND}.
     */
    public long touch(final DirectBuffer key, final int keyOffset, final int keyLength, final long ttlMillis)
    {
        final PendingRequest request = begin();
        try
        {
            request.routingSlot = SlotTable.slotOf(key, keyOffset, keyLength);
            request.requestLength = request.codecs.touch(request.requestBuffer, proxyFlag, key, keyOffset, keyLength, ttlMillis);
            dispatcher.execute(request);
            return statusOr(Answers.value(request).result(), 0);
        }
        finally
        {
            requests.release(request);
        }
    }

    /**
     * Adds {@code delta} to a decimal value (storing {@code initialValue} when absent), allocating nothing
     * in steady state.
     *
     * @return the new value.
     * @throws FerriteException with NOT_A_NUMBER or NUMBER_OVERFLOW.
     */
    public long increment(
        final DirectBuffer key, final int keyOffset, final int keyLength, final long delta, final long initialValue, final long ttlMillis)
    {
        final PendingRequest request = begin();
        try
        {
            request.routingSlot = SlotTable.slotOf(key, keyOffset, keyLength);
            request.requestLength = request.codecs.increment(
                request.requestBuffer, proxyFlag, key, keyOffset, keyLength, delta, initialValue, ttlMillis);
            dispatcher.execute(request);
            final var answer = Answers.value(request);
            if (answer.result() != ResultCode.OK)
            {
                throw new FerriteException(ErrorCode.MALFORMED, "increment answered " + answer.result());
            }
            return answer.numericValue();
        }
        finally
        {
            requests.release(request);
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /** Closes sessions, poller, Aeron and the embedded driver; requests in flight fail. A view's close does nothing. */
    @Override
    public void close()
    {
        if (ownsRuntime)
        {
            runtime.close();
        }
    }

    /** Answers that arrived for no request in flight (late after a timeout, or unknown). */
    public long droppedAnswers()
    {
        return runtime.poller.droppedAnswers();
    }

    // ---------------------------------------------------------------- internals

    /** The router in use (tests look at what it learned). */
    Router router()
    {
        return runtime.router;
    }

    private interface Encoder
    {
        void encode(PendingRequest request);
    }

    private PendingRequest begin()
    {
        checkNotPollerThread();
        return requests.acquire(System.nanoTime() + timeoutNs);
    }

    /** One volatile read: after close, calls fail at once instead of timing out on closed publications. */
    private void checkOpen()
    {
        if (runtime.isClosed())
        {
            throw new IllegalStateException("client closed");
        }
    }

    private void checkNotPollerThread()
    {
        checkOpen();
        if (runtime.pollerDuty.isDutyThread())
        {
            throw new IllegalStateException("sync call on the client's poller thread (a non-async continuation) would wait for itself");
        }
    }

    private <T> T nodeLevel(final String hostPort, final ToIntFunction<PendingRequest> encoder, final AsyncCall.Decoder<T> decoder)
    {
        final PendingRequest request = begin();
        try
        {
            encodeNodeLevel(request, hostPort, encoder.applyAsInt(request));
            dispatcher.execute(request);
            return decoder.decode(request);
        }
        finally
        {
            requests.release(request);
        }
    }

    private void encodeNodeLevel(final PendingRequest request, final String hostPort, final int requestLength)
    {
        request.requestLength = requestLength;
        request.routingSlot = NOT_KEYED;
        if (hostPort != null)
        {
            request.target = runtime.sessions().forHostPort(hostPort);
        }
    }

    private <T> CompletableFuture<T> submit(final Encoder encoder, final AsyncCall.Decoder<T> decoder)
    {
        checkOpen();
        if (runtime.pollerDuty.isDutyThread())
        {
            // Acquiring a slot or opening a session may block: never on the poller.
            final CompletableFuture<T> result = new CompletableFuture<>();
            dispatcher.runOnRetryThread(() -> submit(encoder, decoder).whenComplete((value, error) ->
            {
                if (error != null)
                {
                    result.completeExceptionally(error);
                }
                else
                {
                    result.complete(value);
                }
            }));
            return result;
        }
        final AsyncCall<T> call = new AsyncCall<>(decoder, dispatcher);
        final PendingRequest request;
        try
        {
            request = requests.acquire(System.nanoTime() + timeoutNs);
        }
        catch (final FerriteException ex)
        {
            return CompletableFuture.failedFuture(ex);
        }
        try
        {
            encoder.encode(request);
        }
        catch (final RuntimeException ex)
        {
            requests.release(request);
            throw ex;
        }
        return call.start(request);
    }

    private void encodeGet(final PendingRequest request, final byte[] key)
    {
        final UnsafeBuffer keyView = keyView(request, key);
        request.routingSlot = SlotTable.slotOf(keyView, 0, key.length);
        request.requestLength = request.codecs.get(request.requestBuffer, proxyFlag, keyView, 0, key.length);
    }

    private void encodeSet(
        final PendingRequest request, final byte[] key, final byte[] value, final long ttlMillis, final SetCondition condition, final long expectedVersion)
    {
        final UnsafeBuffer keyView = keyView(request, key);
        request.routingSlot = SlotTable.slotOf(keyView, 0, key.length);
        request.requestLength = request.codecs.set(
            request.requestBuffer, proxyFlag, keyView, 0, key.length, new UnsafeBuffer(value), 0, value.length, ttlMillis,
            Objects.requireNonNull(condition, "condition"), expectedVersion);
    }

    private void encodeDelete(final PendingRequest request, final byte[] key, final long expectedVersion)
    {
        final UnsafeBuffer keyView = keyView(request, key);
        request.routingSlot = SlotTable.slotOf(keyView, 0, key.length);
        request.requestLength = request.codecs.delete(request.requestBuffer, proxyFlag, keyView, 0, key.length, expectedVersion);
    }

    private void encodeTouch(final PendingRequest request, final byte[] key, final long ttlMillis)
    {
        final UnsafeBuffer keyView = keyView(request, key);
        request.routingSlot = SlotTable.slotOf(keyView, 0, key.length);
        request.requestLength = request.codecs.touch(request.requestBuffer, proxyFlag, keyView, 0, key.length, ttlMillis);
    }

    private void encodeIncrement(final PendingRequest request, final byte[] key, final long delta, final long initialValue, final long ttlMillis)
    {
        final UnsafeBuffer keyView = keyView(request, key);
        request.routingSlot = SlotTable.slotOf(keyView, 0, key.length);
        request.requestLength = request.codecs.increment(request.requestBuffer, proxyFlag, keyView, 0, key.length, delta, initialValue, ttlMillis);
    }

    private static UnsafeBuffer keyView(final PendingRequest request, final byte[] key)
    {
        request.keyView.wrap(Objects.requireNonNull(key, "key"));
        return request.keyView;
    }

    private static long statusOr(final ResultCode result, final long okValue)
    {
        switch (result)
        {
            case OK:
                return okValue;
            case NOT_FOUND:
                return ClientStatus.NOT_FOUND;
            case EXISTS:
                return ClientStatus.EXISTS;
            case VERSION_MISMATCH:
                return ClientStatus.VERSION_MISMATCH;
            default:
                throw new FerriteException(ErrorCode.MALFORMED, "unexpected result " + result);
        }
    }

    private static <T> T join(final CompletableFuture<T> future)
    {
        try
        {
            return future.join();
        }
        catch (final CompletionException ex)
        {
            if (ex.getCause() instanceof RuntimeException cause)
            {
                throw cause;
            }
            throw ex;
        }
    }
}
