package dev.ferrite.engine.snapshot;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An intact snapshot holding entries the target store cannot accept: a key or value longer than its
 * maxKeyLength / maxValueLength, or a record larger than one of its segments (typically a file
 * written by a store with bigger limits). Thrown by the validation pass, before any entry is
 * applied, so the target store is left as it was.
 */
public final class SnapshotLimitException extends IOException
{
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long oversizedEntries;

    public SnapshotLimitException(final Path file, final long oversizedEntries, final String firstProblem)
    {
        super("snapshot " + file + " holds " + oversizedEntries + " entr" + (oversizedEntries == 1 ? "y" : "ies") +
            " the target store cannot accept; nothing was loaded; first: " + firstProblem);
        this.file = file;
        this.oversizedEntries = oversizedEntries;
    }

    public Path file()
    {
        return file;
    }

    /** How many entries exceed the target's limits. */
    public long oversizedEntries()
    {
        return oversizedEntries;
    }
}
