package dev.ferrite.node.server;

import org.agrona.DirectBuffer;

/**
 * Parses the decimal ASCII integers that increment works on ({@code -?[0-9]+}, within a long)
 * without allocating or throwing. Not thread-safe: the parsed value lives in a field.
 */
final class DecimalAscii
{
    static final int NOT_A_NUMBER = 1;
    static final int OVERFLOW = 2;
    static final int OK = 0;

    /** A long has at most 19 digits and a sign. */
    static final int MAX_LENGTH = 20;

    long value;

    int parse(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0 || length > MAX_LENGTH)
        {
            return NOT_A_NUMBER;
        }
        final boolean negative = buffer.getByte(offset) == '-';
        int i = negative ? 1 : 0;
        if (i == length)
        {
            return NOT_A_NUMBER;
        }
        long result = 0; // accumulated negatively: Long.MIN_VALUE has no positive twin
        int status = OK;
        for (; i < length; i++)
        {
            final int digit = buffer.getByte(offset + i) - '0';
            if (digit < 0 || digit > 9)
            {
                return NOT_A_NUMBER;
            }
            if (result < (Long.MIN_VALUE + digit) / 10)
            {
                status = OVERFLOW; // keep scanning: a later non-digit makes it NOT_A_NUMBER
            }
            result = result * 10 - digit;
        }
        if (status != OK)
        {
            return status;
        }
        if (!negative)
        {
            if (result == Long.MIN_VALUE)
            {
                return OVERFLOW;
            }
            result = -result;
        }
        value = result;
        return OK;
    }
}
