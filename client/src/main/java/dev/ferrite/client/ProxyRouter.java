package dev.ferrite.client;

/** {@link RoutingMode#PROXY}: everything to the current seed with the proxy flag; the next seed when it is unreachable. */
final class ProxyRouter implements Router
{
    private final SeedList seeds;
    private final NodeSessions sessions;

    ProxyRouter(final SeedList seeds, final NodeSessions sessions)
    {
        this.seeds = seeds;
        this.sessions = sessions;
    }

    @Override
    public void start(final long deadlineNs)
    {
    }

    @Override
    public NodeSession route(final int slot)
    {
        return seeds.current();
    }

    @Override
    public boolean proxyFlag()
    {
        return true;
    }

    @Override
    public void onMoved(final PendingRequest request, final int slot, final int ownerNodeId, final long epoch, final String ownerHostPort)
    {
        // The proxy relayed a MOVED from an owner whose table disagrees with the proxy's: go there directly.
        request.target = sessions.forHostPort(ownerHostPort);
    }

    @Override
    public void onUnreachable(final NodeSession session)
    {
        seeds.failOver(session);
    }

    @Override
    public boolean onSessionOpened(final NodeSession session, final long deadlineNs)
    {
        return false;
    }
}
