package dev.ferrite.engine;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Turns a typed key or value into bytes and back, for {@link FerriteMap}. Implementations must be
 * stateless or thread-safe, and encoding must be deterministic: equal objects give equal bytes,
 * since the store compares keys by their bytes.
 */
public interface Codec<T>
{
    /** Bytes {@code value} encodes to, or an upper bound. */
    int encodedLength(T value);

    /** Writes {@code value} at {@code offset}; returns the bytes written. */
    int encode(T value, MutableDirectBuffer buffer, int offset);

    /**
     * Reads a value back. Must return an object that does not refer to {@code buffer}: scans and
     * reads reuse their buffers once the call returns.
     */
    T decode(DirectBuffer buffer, int offset, int length);
}
