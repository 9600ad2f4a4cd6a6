package dev.ferrite.loadgen.keys;

/**
 * Picks the index of the next key an operation touches. Not thread-safe: each requester owns one.
 */
@FunctionalInterface
public interface KeyChooser
{
    /** @return a key index in {@code [0, records inserted so far)}. */
    long nextIndex();
}
