package dev.ferrite.client;

/**
 * Negative results of the zero-garbage calls (the engine's {@code Status} numbers where they mean the
 * same). Errors, timeouts and misuse are thrown, as exceptional events.
 */
public final class ClientStatus
{
    /** The key is absent (get, delete, touch, set only-if-present). */
    public static final int NOT_FOUND = -1;
    /** The destination buffer cannot hold the value and cannot grow. */
    public static final int BUFFER_TOO_SMALL = -2;
    /** set only-if-absent found the key present. */
    public static final int EXISTS = -4;
    /** The entry has another version than the one expected. */
    public static final int VERSION_MISMATCH = -5;

    private ClientStatus()
    {
    }
}
