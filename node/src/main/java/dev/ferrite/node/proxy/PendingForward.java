package dev.ferrite.node.proxy;

/** A request forwarded to its owner, waiting for the answer. Pooled; touched by the server thread only. */
final class PendingForward
{
    long forwardCorrelationId;
    long clientCorrelationId;
    int clientSessionId;
    long deadlineNs;

    PendingForward set(
        final long forwardCorrelationId, final long clientCorrelationId, final int clientSessionId, final long deadlineNs)
    {
        this.forwardCorrelationId = forwardCorrelationId;
        this.clientCorrelationId = clientCorrelationId;
        this.clientSessionId = clientSessionId;
        this.deadlineNs = deadlineNs;
        return this;
    }
}
