package dev.ferrite.node.server;

import dev.ferrite.transport.ProtocolConstants;

import io.aeron.ExclusivePublication;

/**
 * One client's session on a node, keyed by the Aeron session id of the client's request image.
 *
 * <pre>
 *   hello --> AWAITING_PUBLICATION --(publication connected)--> OPEN                (no secret)
 *                                  \-------------------------> CHALLENGED --auth ok--> OPEN
 *                                                                          \-auth bad-> REFUSED
 * </pre>
 *
 * Touched only by the server agent's thread.
 */
final class ClientSession
{
    enum State
    {
        AWAITING_PUBLICATION, CHALLENGED, OPEN, REFUSED
    }

    final int sessionId;
    final long clientId;
    final long helloCorrelationId;
    final long registrationId;
    final long helloDeadlineNs;
    final byte[] serverNonce = new byte[ProtocolConstants.NONCE_LENGTH];
    State state = State.AWAITING_PUBLICATION;
    ExclusivePublication publication;

    ClientSession(
        final int sessionId, final long clientId, final long helloCorrelationId, final long registrationId,
        final long helloDeadlineNs)
    {
        this.sessionId = sessionId;
        this.clientId = clientId;
        this.helloCorrelationId = helloCorrelationId;
        this.registrationId = registrationId;
        this.helloDeadlineNs = helloDeadlineNs;
    }

    boolean isOpen()
    {
        return state == State.OPEN;
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
