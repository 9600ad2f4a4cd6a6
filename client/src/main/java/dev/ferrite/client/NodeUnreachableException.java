package dev.ferrite.client;

import dev.ferrite.transport.sbe.ErrorCode;

/** A node's request channel did not connect (or stopped being connected): routers fail over on it. */
final class NodeUnreachableException extends FerriteException
{
    private static final long serialVersionUID = 1L;

    NodeUnreachableException(final String hostPort)
    {
        super(ErrorCode.UNAVAILABLE, "node " + hostPort + " unreachable: its request channel is not connected");
    }
}
