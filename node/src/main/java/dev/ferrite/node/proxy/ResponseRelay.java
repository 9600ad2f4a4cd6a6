package dev.ferrite.node.proxy;

import org.agrona.DirectBuffer;

/** Where the forwarder hands an owner's answer, already carrying the client's correlation id. */
@FunctionalInterface
public interface ResponseRelay
{
    void relay(int clientSessionId, DirectBuffer buffer, int offset, int length);
}
