package dev.ferrite.client;

/** How a client chooses the node for each request (docs/protocol.md, "Keyed requests"). */
public enum RoutingMode
{
    /**
     * The client fetches the slot table and sends each request to the owner of its key's slot,
     * refreshing the table when a node answers MOVED with a newer epoch. One hop; the default.
     */
    DIRECT,

    /**
     * Every request goes, with the {@code proxy} flag, to one seed node, which forwards it to the owner
     * and relays the answer. Two hops, no table on the client; the next seed takes over when the
     * current one is unreachable.
     */
    PROXY,

    /**
     * The client starts without a table, sends a key to a seed until some node answers MOVED, and
     * remembers the owner per slot (Redis Cluster clients' style).
     */
    HANDOFF
}
