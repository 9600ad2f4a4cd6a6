package dev.ferrite.engine;

import org.agrona.DirectBuffer;

/**
 * Receives entries from a scan. The buffers are the scan's own copies, valid only during the call.
 */
@FunctionalInterface
public interface EntryVisitor
{
    /**
     * @return false to stop the scan.
     */
    boolean visit(
        DirectBuffer key, int keyOffset, int keyLength,
        DirectBuffer value, int valueOffset, int valueLength,
        long version, long expiresAtMillis);
}
