package dev.ferrite.node.server;

import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

/** Node counters backed by a plain Agrona counters manager, for tests without Aeron. */
public final class TestCounters
{
    private TestCounters()
    {
    }

    public static NodeCounters create()
    {
        final CountersManager manager = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024)), new UnsafeBuffer(ByteBuffer.allocateDirect(8 * 1024)));
        return new NodeCounters(manager::newCounter, "test: ");
    }
}
