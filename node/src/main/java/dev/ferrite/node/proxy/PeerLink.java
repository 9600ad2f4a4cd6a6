package dev.ferrite.node.proxy;

import dev.ferrite.transport.routing.NodeEndpoint;

import io.aeron.ExclusivePublication;

import org.agrona.ExpandableDirectByteBuffer;

/**
 * This node's client session with one peer: the publication to the peer's request channel, the
 * handshake state, and a bounded backlog of forwarded requests that arrived before the session
 * opened. Touched by the server thread only.
 *
 * <pre>
 *   CONNECTING --publication connected, hello sent--> HELLO_SENT --welcome--> OPEN
 *                                                        \--challenge, authenticate sent--> AUTH_SENT --welcome--> OPEN
 *   any --error / timeout--> FAILED (the link is recreated on the next forward after a back-off)
 * </pre>
 *
 * Backlog layout (each request as forwarded, correlation id already rewritten):
 * <pre>
 *   0               4
 *   +---------------+--------------------------+---------------+----
 *   | length int32  | request bytes ...        | length int32  | ...
 *   +---------------+--------------------------+---------------+----
 * </pre>
 */
final class PeerLink
{
    enum State
    {
        CONNECTING, HELLO_SENT, AUTH_SENT, OPEN, FAILED
    }

    final NodeEndpoint endpoint;
    final long registrationId;
    final long helloCorrelationId;
    final long createdNs;
    final ExpandableDirectByteBuffer backlog = new ExpandableDirectByteBuffer(4096);
    int backlogLength;
    State state = State.CONNECTING;
    ExclusivePublication publication;
    long failedAtNs;

    PeerLink(final NodeEndpoint endpoint, final long registrationId, final long helloCorrelationId, final long createdNs)
    {
        this.endpoint = endpoint;
        this.registrationId = registrationId;
        this.helloCorrelationId = helloCorrelationId;
        this.createdNs = createdNs;
    }

    void close()
    {
        if (publication != null)
        {
            publication.close();
            publication = null;
        }
    }
}
