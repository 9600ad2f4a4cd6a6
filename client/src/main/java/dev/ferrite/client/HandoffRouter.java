package dev.ferrite.client;

import dev.ferrite.transport.routing.SlotTable;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * {@link RoutingMode#HANDOFF}: no table; a slot's requests go to the current seed until a MOVED answer
 * names the owner, which is remembered per slot. Entries are written with plain atomic-array sets: a
 * reader that sees a stale owner just gets another MOVED.
 */
final class HandoffRouter implements Router
{
    private final SeedList seeds;
    private final NodeSessions sessions;
    private final AtomicReferenceArray<NodeSession> ownerBySlot = new AtomicReferenceArray<>(SlotTable.SLOT_COUNT);

    HandoffRouter(final SeedList seeds, final NodeSessions sessions)
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
        if (slot >= 0)
        {
            final NodeSession owner = ownerBySlot.get(slot);
            if (owner != null)
            {
                return owner;
            }
        }
        return seeds.current();
    }

    @Override
    public boolean proxyFlag()
    {
        return false;
    }

    @Override
    public void onMoved(final PendingRequest request, final int slot, final int ownerNodeId, final long epoch, final String ownerHostPort)
    {
        final NodeSession owner = sessions.forHostPort(ownerHostPort);
        if (slot >= 0 && slot < SlotTable.SLOT_COUNT)
        {
            ownerBySlot.set(slot, owner);
        }
        request.target = owner;
    }

    @Override
    public void onUnreachable(final NodeSession session)
    {
        if (seeds.contains(session))
        {
            seeds.failOver(session);
            return;
        }
        // A learned owner went away: forget it, so its slots are asked at a seed again.
        for (int slot = 0; slot < SlotTable.SLOT_COUNT; slot++)
        {
            ownerBySlot.compareAndSet(slot, session, null);
        }
    }

    @Override
    public boolean onSessionOpened(final NodeSession session, final long deadlineNs)
    {
        return false;
    }

    /** The owner learned for a slot, or null (tests). */
    NodeSession learnedOwner(final int slot)
    {
        return ownerBySlot.get(slot);
    }
}
