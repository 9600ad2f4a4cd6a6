package dev.ferrite.engine;

/**
 * Status codes returned by the zero-garbage API. Every code is negative, so a non-negative return
 * is always a result (a value length, or a version).
 */
public final class Status
{
    /** The key is absent or expired. */
    public static final int MISS = -1;
    /** The destination buffer cannot hold the value; {@link EntryMeta#valueLength()} tells how much it needs. */
    public static final int BUFFER_TOO_SMALL = -2;
    /** No room: eviction is off and the live data fills the byte budget, or no segment could be reclaimed now. */
    public static final int FULL = -3;
    /** A conditional put found the key present (put-if-absent). */
    public static final int EXISTS = -4;
    /** A compare-and-set or conditional remove found another version. */
    public static final int VERSION_MISMATCH = -5;
    /** The key is longer than the configured limit. */
    public static final int KEY_TOO_LARGE = -6;
    /** The value is longer than the configured limit, or the record cannot fit in one segment. */
    public static final int VALUE_TOO_LARGE = -7;
    /** The expiry time is negative. */
    public static final int INVALID_TTL = -8;

    private Status()
    {
    }

    public static String describe(final long status)
    {
        if (status >= 0)
        {
            return "OK(" + status + ")"; // a version whose low 32 bits equal a status code is still a version (review)
        }
        switch ((int)status)
        {
            case (int)MISS: return "MISS";
            case BUFFER_TOO_SMALL: return "BUFFER_TOO_SMALL";
            case FULL: return "FULL";
            case EXISTS: return "EXISTS";
            case VERSION_MISMATCH: return "VERSION_MISMATCH";
            case KEY_TOO_LARGE: return "KEY_TOO_LARGE";
            case VALUE_TOO_LARGE: return "VALUE_TOO_LARGE";
            case INVALID_TTL: return "INVALID_TTL";
            default: return status >= 0 ? "OK(" + status + ")" : "UNKNOWN(" + status + ")";
        }
    }
}
