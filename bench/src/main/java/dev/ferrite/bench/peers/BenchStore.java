package dev.ferrite.bench.peers;

/**
 * One implementation under test, holding keys {@code [0, entries)} of {@link dev.ferrite.bench.data.Keys}.
 * Benchmarks speak to it through per-thread {@link Session}s that hold whatever buffers the
 * implementation needs, so the measured call is the implementation's own hot path. A JMH fork (or a
 * latency/memory child JVM) only ever loads one implementation, so calls through this interface
 * stay monomorphic there.
 */
public interface BenchStore extends AutoCloseable
{
    /** A new per-thread handle for gets and puts; not thread-safe itself. */
    Session session();

    /**
     * A new per-thread handle for preloading. On-heap implementations store a fresh key object and
     * a fresh value array per entry, as a real application's entries would be; no implementation
     * builds its lookup keys for it, so a memory probe that only loads counts only the store.
     */
    Loader loader();

    /** Entries held now, by the implementation's own count. */
    long size();

    /** How the implementation was configured, for the report. */
    String describe();

    /** Native (off-heap) bytes by the implementation's own accounting, or -1 when it has none. */
    default long nativeBytes()
    {
        return -1;
    }

    @Override
    void close();

    interface Session
    {
        /** Looks up key {@code keyIndex}; returns the value length, or a negative number on a miss. */
        int get(int keyIndex);

        /** Writes key {@code keyIndex} with this session's value; returns a positive number on success. */
        long put(int keyIndex);
    }

    interface Loader
    {
        /** Inserts key {@code keyIndex}; returns a positive number on success. */
        long load(int keyIndex);
    }
}
