package dev.ferrite.bench.hitratio;

/** A cache of a fixed number of entries replaying a trace: on a miss, the key is inserted. */
public interface ReplayPolicy extends AutoCloseable
{
    /** Looks the key up, inserting it on a miss. @return true on a hit. */
    boolean access(int key);

    /** Entries held now. */
    long size();

    @Override
    default void close()
    {
    }
}
