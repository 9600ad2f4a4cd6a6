package dev.ferrite.client;

/**
 * Chooses the node for each request; one implementation per {@link RoutingMode}. {@link #route(int)}
 * is on the hot path and must not allocate or block; the other methods run on MOVED answers,
 * unreachable nodes and new sessions (rare) and may block to fetch a topology.
 */
interface Router
{
    /** Loads what the router needs before the first request (DIRECT: the slot table). */
    void start(long deadlineNs);

    /** The session for a key's slot, or for a node-level request when {@code slot} is -1. */
    NodeSession route(int slot);

    /** Whether keyed requests carry the proxy flag. */
    boolean proxyFlag();

    /**
     * A node answered MOVED: learn from it and set {@code request.target} to where the retry goes.
     */
    void onMoved(PendingRequest request, int slot, int ownerNodeId, long epoch, String ownerHostPort);

    /** A node is unreachable: fail over where the mode has somewhere else to go (the next seed). */
    void onUnreachable(NodeSession session);

    /** A session was just opened: its welcome may announce a newer topology epoch. Returns true if routes changed. */
    boolean onSessionOpened(NodeSession session, long deadlineNs);
}
