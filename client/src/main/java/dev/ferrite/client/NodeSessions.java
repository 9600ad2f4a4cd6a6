package dev.ferrite.client;

import java.util.concurrent.ConcurrentHashMap;

/** One {@link NodeSession} per node endpoint, created on first use and kept until the client closes. */
final class NodeSessions
{
    private final ConcurrentHashMap<String, NodeSession> byHostPort = new ConcurrentHashMap<>();
    private final SessionContext context;

    NodeSessions(final SessionContext context)
    {
        this.context = context;
    }

    /** Not for the hot path (it hashes a string): routers cache sessions by slot or node. */
    NodeSession forHostPort(final String hostPort)
    {
        return byHostPort.computeIfAbsent(hostPort, hp -> new NodeSession(hp, context));
    }

    void closeAll()
    {
        byHostPort.values().forEach(NodeSession::close);
    }
}
