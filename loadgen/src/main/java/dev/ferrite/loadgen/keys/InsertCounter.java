package dev.ferrite.loadgen.keys;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many records exist: the loaded ones plus those inserted during the run (YCSB workload D
 * inserts new keys and reads the latest ones). Shared by all requesters.
 */
public final class InsertCounter
{
    private final AtomicLong records;

    public InsertCounter(final long loadedRecords)
    {
        if (loadedRecords < 1)
        {
            throw new IllegalArgumentException("need at least one record: " + loadedRecords);
        }
        this.records = new AtomicLong(loadedRecords);
    }

    /** Claims the index of a new record. */
    public long nextInsertIndex()
    {
        return records.getAndIncrement();
    }

    /** Records that exist (an insert in flight may not be readable yet: that is a miss, as in YCSB). */
    public long records()
    {
        return records.get();
    }
}
