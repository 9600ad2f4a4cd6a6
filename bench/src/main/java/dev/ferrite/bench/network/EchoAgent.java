package dev.ferrite.bench.network;

import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The pong side of the raw Aeron baseline: answers every request with a response of the length the
 * request asks for, starting with the request's correlation id. It does no other work, so the time
 * it adds is Aeron's alone. Runs on its own thread under an {@code AgentRunner}.
 *
 * <pre>
 *  request                                    response
 *  0        8              12       n         0        8                   m
 *  +--------+--------------+--------+         +--------+-------------------+
 *  | corrId | responseBytes| zeros  |         | corrId | zeros             |
 *  +--------+--------------+--------+         +--------+-------------------+
 * </pre>
 */
final class EchoAgent implements Agent
{
    static final int CORRELATION_OFFSET = 0;
    static final int RESPONSE_LENGTH_OFFSET = 8;
    static final int MIN_REQUEST_BYTES = 12;
    static final int MIN_RESPONSE_BYTES = 8;

    private final Subscription requests;
    private final Publication responses;
    private final UnsafeBuffer response;
    private final FragmentHandler handler = this::onRequest;

    EchoAgent(final Subscription requests, final Publication responses, final int maxResponseBytes)
    {
        this.requests = requests;
        this.responses = responses;
        this.response = new UnsafeBuffer(new byte[maxResponseBytes]);
    }

    @Override
    public int doWork()
    {
        return requests.poll(handler, 16);
    }

    private void onRequest(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final int responseBytes = buffer.getInt(offset + RESPONSE_LENGTH_OFFSET);
        response.putLong(CORRELATION_OFFSET, buffer.getLong(offset + CORRELATION_OFFSET));
        long result;
        while ((result = responses.offer(response, 0, responseBytes)) < 0)
        {
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
            {
                throw new IllegalStateException("response publication unusable: " + result);
            }
            Thread.onSpinWait(); // back pressure or a brief disconnect: the pinger waits for this answer
        }
    }

    @Override
    public String roleName()
    {
        return "raw-aeron-echo";
    }
}
