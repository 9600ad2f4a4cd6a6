package dev.ferrite.client;

import dev.ferrite.transport.sbe.MessageHeaderDecoder;

import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;

import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;

/**
 * The only reader of the client's response subscription, run as part of the {@link PollerDuty} (on
 * the poller thread, or on a sync caller waiting for its answer, one at a time): matches each answer
 * to its request slot by correlation id, copies it in and
 * completes it; once a millisecond it times out requests past their deadline and ends those whose
 * session ended ({@link PendingRequests#sweep}).
 *
 * <p>Progress: {@link #doWork()} never blocks; async completions run here, so they must not block
 * either (the client runs MOVED retries, which may open sessions, on another thread). Answers for
 * requests no longer in flight (timed out, or unknown) are counted and dropped.
 */
final class ResponsePoller implements Agent, FragmentHandler
{
    private static final int FRAGMENT_LIMIT = 32;
    private static final long SWEEP_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int SCHEMA_ID_OFFSET = 4;

    private final Subscription subscription;
    private final PendingRequests requests;
    private final FragmentAssembler assembler = new FragmentAssembler(this);
    private long lastSweepNs;
    private volatile long droppedAnswers;

    ResponsePoller(final Subscription subscription, final PendingRequests requests)
    {
        this.subscription = subscription;
        this.requests = requests;
    }

    @Override
    public int doWork()
    {
        int work = subscription.poll(assembler, FRAGMENT_LIMIT);
        final long nowNs = System.nanoTime();
        if (nowNs - lastSweepNs >= SWEEP_INTERVAL_NS)
        {
            lastSweepNs = nowNs;
            work += requests.sweep(nowNs);
        }
        return work;
    }

    @Override
    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH + Long.BYTES ||
            (buffer.getShort(offset + SCHEMA_ID_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF) != MessageHeaderDecoder.SCHEMA_ID)
        {
            droppedAnswers++; // single writer: the duty holder
            return;
        }
        final long correlationId = buffer.getLong(offset + PendingRequest.CORRELATION_ID_OFFSET, ByteOrder.LITTLE_ENDIAN);
        final PendingRequest request = requests.slotFor(correlationId);
        if (correlationId > 0 && request != null && request.claim(correlationId))
        {
            request.copyAnswer(buffer, offset, length, header.sessionId());
            request.finish(PendingRequest.ANSWERED);
        }
        else
        {
            droppedAnswers++;
        }
    }

    /** Answers that matched no request in flight: late (after a timeout), unknown or malformed. */
    long droppedAnswers()
    {
        return droppedAnswers;
    }

    @Override
    public String roleName()
    {
        return "ferrite-client-poller";
    }
}
