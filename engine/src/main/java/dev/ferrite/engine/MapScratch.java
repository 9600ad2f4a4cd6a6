package dev.ferrite.engine;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Per-thread buffers for one {@link FerriteMap} operation: the encoded key, the encoded new value,
 * and the current value read back with its {@link EntryMeta}.
 *
 * <p>Held as a per-thread stack rather than a single instance, because a remapping function
 * may itself call the map (reading another key, say): each nested operation takes the next level,
 * so it never overwrites the buffers of the operation that called it. In steady state nothing is
 * allocated; buffers grow to the largest key and value a thread has seen and stay that size.
 */
final class MapScratch
{
    private static final ThreadLocal<Stack> STACKS = ThreadLocal.withInitial(Stack::new);

    final UnsafeBuffer key = new UnsafeBuffer(new byte[64]);
    final UnsafeBuffer value = new UnsafeBuffer(new byte[64]);
    final UnsafeBuffer current = new UnsafeBuffer(new byte[64]);
    final EntryMeta meta = new EntryMeta();
    private final Stack stack;
    /** This scratch's level in its thread's stack. */
    private final int level;
    /**
     * The cache whose key (in {@link #key}) this level's compute-family operation is computing, or
     * null: a write of that key by a function it calls, on this thread, is a recursive update.
     */
    FerriteCache computing;
    int keyLength;
    int valueLength;
    /** Length of the value in {@link #current} after a successful {@link #readCurrent}. */
    int currentLength;

    /** Takes this thread's next free scratch; pair with {@link #release()} in a finally block. */
    static MapScratch acquire()
    {
        return STACKS.get().push();
    }

    private MapScratch(final Stack stack, final int level)
    {
        this.stack = stack;
        this.level = level;
    }

    void release()
    {
        computing = null;
        stack.pop();
    }

    /**
     * True when an operation below this one on this thread's stack is computing this scratch's key
     * of {@code cache}: the write this scratch is for would change the version that operation read,
     * so it would retry for ever. Costs nothing at the top level.
     */
    boolean writesAKeyBeingComputed(final FerriteCache cache)
    {
        for (int i = 0; i < level; i++)
        {
            final MapScratch below = stack.levels[i];
            if (below.computing == cache && below.keyLength == keyLength &&
                java.util.Arrays.equals(below.key.byteArray(), 0, keyLength, key.byteArray(), 0, keyLength))
            {
                return true;
            }
        }
        return false;
    }

    <K> void encodeKey(final Codec<K> codec, final K k)
    {
        ensure(key, codec.encodedLength(k));
        keyLength = codec.encode(k, key, 0);
    }

    <V> void encodeValue(final Codec<V> codec, final V v)
    {
        ensure(value, codec.encodedLength(v));
        valueLength = codec.encode(v, value, 0);
    }

    /**
     * Reads the key's current value into {@link #current} and its version into {@link #meta}.
     *
     * @return true when the key is present; false when absent, or when the key is too long to
     * ever be stored.
     */
    boolean readCurrent(final FerriteCache cache)
    {
        while (true)
        {
            final int length = cache.get(key, 0, keyLength, current, 0, meta);
            if (length >= 0)
            {
                currentLength = length;
                return true;
            }
            if (length != Status.BUFFER_TOO_SMALL)
            {
                return false; // MISS or KEY_TOO_LARGE
            }
            ensure(current, meta.valueLength());
        }
    }

    private static void ensure(final UnsafeBuffer buffer, final int length)
    {
        if (buffer.capacity() < length)
        {
            buffer.wrap(new byte[Math.max(length, buffer.capacity() * 2)]);
        }
    }

    private static final class Stack
    {
        private MapScratch[] levels = new MapScratch[2];
        private int depth;

        MapScratch push()
        {
            if (depth == levels.length)
            {
                levels = java.util.Arrays.copyOf(levels, depth * 2);
            }
            MapScratch scratch = levels[depth];
            if (scratch == null)
            {
                scratch = new MapScratch(this, depth);
                levels[depth] = scratch;
            }
            depth++;
            return scratch;
        }

        void pop()
        {
            depth--;
        }
    }
}
