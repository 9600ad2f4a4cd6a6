package dev.ferrite.transport.aeron;

/**
 * Term buffer sizing. Aeron refuses a message larger than a term / 8, and a value of up to 1 MiB
 * plus its key and header must fit in one message: 16 MiB terms allow 2 MiB messages.
 */
public final class TermLengths
{
    public static final int TERM_LENGTH = 16 * 1024 * 1024;
    public static final int MAX_MESSAGE_LENGTH = TERM_LENGTH / 8;

    private TermLengths()
    {
    }
}
