package dev.ferrite.loadgen.workload;

import dev.ferrite.loadgen.keys.KeyDistribution;

import java.util.SplittableRandom;

/**
 * An operation mix over a key distribution, as YCSB's core workload defines it.
 *
 * @param name          shown in reports.
 * @param readPercent   share of reads, 0..100; the four shares add up to 100.
 * @param updatePercent share of overwrites of existing records.
 * @param insertPercent share of writes of new records.
 * @param readModifyWritePercent share of read-then-write operations.
 * @param distribution  which records the operations pick.
 */
public record Workload(
    String name,
    int readPercent,
    int updatePercent,
    int insertPercent,
    int readModifyWritePercent,
    KeyDistribution distribution)
{
    public Workload
    {
        if (readPercent < 0 || updatePercent < 0 || insertPercent < 0 || readModifyWritePercent < 0 ||
            readPercent + updatePercent + insertPercent + readModifyWritePercent != 100)
        {
            throw new IllegalArgumentException("operation shares must be >= 0 and add up to 100: read=" + readPercent +
                " update=" + updatePercent + " insert=" + insertPercent + " rmw=" + readModifyWritePercent);
        }
    }

    /** Draws the next operation with these shares. */
    public Operation next(final SplittableRandom random)
    {
        final int draw = random.nextInt(100);
        if (draw < readPercent)
        {
            return Operation.READ;
        }
        if (draw < readPercent + updatePercent)
        {
            return Operation.UPDATE;
        }
        if (draw < readPercent + updatePercent + insertPercent)
        {
            return Operation.INSERT;
        }
        return Operation.READ_MODIFY_WRITE;
    }

    public String describe()
    {
        return name + " (" + readPercent + "% read, " + updatePercent + "% update, " + insertPercent + "% insert, " +
            readModifyWritePercent + "% read-modify-write, " + distribution.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
