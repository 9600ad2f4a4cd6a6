package dev.ferrite.engine.snapshot;

import org.agrona.DirectBuffer;

import java.io.IOException;

/** Receives the entries of a checked block; the buffer is valid only during the call. */
@FunctionalInterface
interface EntryConsumer
{
    /**
     * @param fileOffset where the entry starts in the file, for messages.
     */
    void accept(
        DirectBuffer buffer, int keyOffset, int keyLength, int valueOffset, int valueLength,
        long version, long expiresAtMillis, long fileOffset) throws IOException;
}
