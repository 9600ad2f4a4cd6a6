package dev.ferrite.node.server;

import dev.ferrite.transport.sbe.ErrorCode;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

import org.agrona.concurrent.status.AtomicCounter;

/**
 * The node's counters, one {@link AtomicCounter} each. In a running node they are Aeron counters
 * ({@code aeron.addCounter}), so {@code AeronStat} and other readers of the driver's counters file see
 * them; tests may back them by a plain Agrona {@code CountersManager}.
 *
 * <p>Threading: written by the server agent's thread only (plain-release increments); read by any
 * thread. Indexes are the constants below; names travel in the stats answer.
 */
public final class NodeCounters implements AutoCloseable
{
    /** Aeron counter type id for every Ferrite node counter (user type ids start above Aeron's own). */
    public static final int COUNTER_TYPE_ID = 7311_00;

    public static final int REQUESTS_HELLO = 0;
    public static final int REQUESTS_AUTHENTICATE = 1;
    public static final int REQUESTS_GET = 2;
    public static final int REQUESTS_MULTI_GET = 3;
    public static final int REQUESTS_SET = 4;
    public static final int REQUESTS_DELETE = 5;
    public static final int REQUESTS_TOUCH = 6;
    public static final int REQUESTS_INCREMENT = 7;
    public static final int REQUESTS_PING = 8;
    public static final int REQUESTS_TOPOLOGY = 9;
    public static final int REQUESTS_STATS = 10;
    public static final int HITS = 11;
    public static final int MISSES = 12;
    public static final int MOVED_SENT = 13;
    public static final int FORWARDED = 14;
    public static final int FORWARD_TIMEOUTS = 15;
    public static final int BYTES_IN = 16;
    public static final int BYTES_OUT = 17;
    public static final int RESPONSES_DROPPED = 18;
    public static final int SESSIONS_OPENED = 19;
    public static final int SESSIONS_CLOSED = 20;
    public static final int REQUESTS_DROPPED = 21;
    /** First of the error counters, one per {@link ErrorCode} value, in code order. */
    public static final int ERRORS_BASE = 22;

    private static final String[] BASE_NAMES = {
        "requests.hello", "requests.authenticate", "requests.get", "requests.multiGet", "requests.set",
        "requests.delete", "requests.touch", "requests.increment", "requests.ping", "requests.topology",
        "requests.stats", "hits", "misses", "moved.sent", "forwarded", "forward.timeouts", "bytes.in",
        "bytes.out", "responses.dropped", "sessions.opened", "sessions.closed", "requests.dropped" };

    private final AtomicCounter[] counters;
    private final String[] names;
    private final byte[][] namesUtf8;

    /**
     * @param counterFactory makes one counter from its label (e.g. {@code label -> aeron.addCounter(COUNTER_TYPE_ID, label)}).
     * @param labelPrefix    prepended to every label, e.g. {@code "ferrite node 1: "}.
     */
    public NodeCounters(final Function<String, AtomicCounter> counterFactory, final String labelPrefix)
    {
        final ErrorCode[] codes = ErrorCode.values();
        final int errorCount = codes.length - 1; // NULL_VAL is not a code
        names = new String[ERRORS_BASE + errorCount];
        System.arraycopy(BASE_NAMES, 0, names, 0, BASE_NAMES.length);
        for (final ErrorCode code : codes)
        {
            if (code != ErrorCode.NULL_VAL)
            {
                names[ERRORS_BASE + code.value()] = "errors." + code.name();
            }
        }
        counters = new AtomicCounter[names.length];
        namesUtf8 = new byte[names.length][];
        for (int i = 0; i < names.length; i++)
        {
            namesUtf8[i] = names[i].getBytes(StandardCharsets.UTF_8);
            counters[i] = counterFactory.apply(labelPrefix + names[i]);
        }
    }

    public void increment(final int counterIndex)
    {
        counters[counterIndex].incrementRelease();
    }

    public void add(final int counterIndex, final long delta)
    {
        counters[counterIndex].getAndAddRelease(delta);
    }

    public void incrementError(final ErrorCode code)
    {
        counters[ERRORS_BASE + code.value()].incrementRelease();
    }

    public long get(final int counterIndex)
    {
        return counters[counterIndex].get();
    }

    public long errors(final ErrorCode code)
    {
        return counters[ERRORS_BASE + code.value()].get();
    }

    public int count()
    {
        return counters.length;
    }

    public String name(final int counterIndex)
    {
        return names[counterIndex];
    }

    /** The name as UTF-8, encoded once so the stats answer does not allocate per name. */
    public byte[] nameUtf8(final int counterIndex)
    {
        return namesUtf8[counterIndex];
    }

    @Override
    public void close()
    {
        for (final AtomicCounter counter : counters)
        {
            if (counter != null)
            {
                counter.close();
            }
        }
    }
}
