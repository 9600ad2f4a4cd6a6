package dev.ferrite.engine.snapshot;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.log.RecordDescriptor;

/**
 * The largest entry a target store accepts: its key and value limits, and a record that must fit
 * in one segment. A snapshot's entries are checked against these before anything is applied.
 */
record EntryLimits(int maxKeyLength, int maxValueLength, int segmentBytes)
{
    /** What any store can hold: for checking a file without a target. */
    static final EntryLimits FORMAT_MAXIMUM =
        new EntryLimits(RecordDescriptor.MAX_KEY_LENGTH, RecordDescriptor.MAX_VALUE_LENGTH, Integer.MAX_VALUE);

    static EntryLimits of(final CacheConfig config)
    {
        return new EntryLimits(config.maxKeyLength(), config.maxValueLength(), config.segmentBytes());
    }

    /** Largest payload a single entry within these limits takes. */
    long maxEntryBytes()
    {
        return (long)SnapshotDescriptor.ENTRY_HEADER_LENGTH + maxKeyLength + maxValueLength;
    }

    /**
     * @return null when an entry with these non-negative lengths is accepted, else why it is not.
     */
    String violation(final int keyLength, final int valueLength)
    {
        if (keyLength > maxKeyLength)
        {
            return "keyLength=" + keyLength + " exceeds maxKeyLength=" + maxKeyLength;
        }
        if (valueLength > maxValueLength)
        {
            return "valueLength=" + valueLength + " exceeds maxValueLength=" + maxValueLength;
        }
        // Both lengths are now within the record format's bit widths, so this cannot overflow.
        final int recordLength = RecordDescriptor.recordLength(keyLength, valueLength);
        if (recordLength >= segmentBytes)
        {
            return "a record of " + recordLength + " bytes (keyLength=" + keyLength + ", valueLength=" + valueLength +
                ") does not fit a segment of segmentBytes=" + segmentBytes;
        }
        return null;
    }
}
