package dev.ferrite.loadgen.workload;

/** What a requester asks the target to do; each kind gets its own latency histogram. */
public enum Operation
{
    /** Get an existing record. */
    READ,
    /** Overwrite an existing record. */
    UPDATE,
    /** Write a new record (YCSB workload D). */
    INSERT,
    /** Get a record, then write it back; timed as one operation (YCSB workload F). */
    READ_MODIFY_WRITE
}
