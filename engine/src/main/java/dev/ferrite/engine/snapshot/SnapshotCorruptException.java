package dev.ferrite.engine.snapshot;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that is not a valid snapshot this build reads: truncated, corrupt (a checksum, magic,
 * length or count that does not hold), foreign, or of an unsupported format version. Thrown by
 * the validation pass, before any entry is applied, so the target store is left as it was. The
 * message says what is wrong and at which file offset.
 */
public final class SnapshotCorruptException extends IOException
{
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    public SnapshotCorruptException(final Path file, final long offset, final String problem)
    {
        super(problem + " at offset " + offset + " of snapshot " + file);
        this.file = file;
        this.offset = offset;
    }

    public SnapshotCorruptException(final Path file, final long offset, final String problem, final Throwable cause)
    {
        this(file, offset, problem);
        initCause(cause);
    }

    /** The snapshot file. */
    public Path file()
    {
        return file;
    }

    /** The byte offset in the file where the problem was found. */
    public long offset()
    {
        return offset;
    }
}
