package dev.ferrite.bench.peers;

import dev.ferrite.bench.data.Keys;

import java.util.Arrays;

/**
 * A 16-byte key for the on-heap maps, with its hash computed once as {@link String} caches its own.
 * Lookups use instances distinct from the stored ones, so equals compares bytes, as it would for
 * keys that arrive in requests.
 */
public final class HeapKey
{
    private final byte[] bytes;
    private final int hash;

    public HeapKey(final long index)
    {
        this.bytes = Keys.bytes(index);
        this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof HeapKey && Arrays.equals(bytes, ((HeapKey)other).bytes);
    }

    @Override
    public int hashCode()
    {
        return hash;
    }
}
