package dev.ferrite.cli;

/** What {@code ferrite cli} returns, so scripts can branch on it. */
final class ExitCodes
{
    static final int OK = 0;
    /** The key was not there, or a conditional write's condition did not hold. */
    static final int NOT_FOUND_OR_CONDITION_FAILED = 1;
    /** Bad arguments (picocli's own usage error code). */
    static final int USAGE = 2;
    /** No node answered in time. */
    static final int UNREACHABLE = 3;
    /** A node answered with an error (too large, not a number, not authenticated...). */
    static final int SERVER_ERROR = 4;

    private ExitCodes()
    {
    }
}
