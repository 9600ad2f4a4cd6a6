package dev.ferrite.transport.routing;

/**
 * A cluster file that cannot be used. The message names the source and, where one line is at fault,
 * its number ({@code cluster.conf:7: bad port 'x'}), so an operator can fix it without a debugger.
 */
public final class ClusterFileException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    /** 1-based line number, or 0 when the fault is the file as a whole (e.g. no nodes). */
    private final int lineNumber;

    public ClusterFileException(final String source, final int lineNumber, final String problem)
    {
        super(source + (lineNumber > 0 ? ":" + lineNumber : "") + ": " + problem);
        this.lineNumber = lineNumber;
    }

    public int lineNumber()
    {
        return lineNumber;
    }
}
