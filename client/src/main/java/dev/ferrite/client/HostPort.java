package dev.ferrite.client;

/** Parses the {@code host:port} strings that seeds, MOVED answers and topology answers carry. */
final class HostPort
{
    private HostPort()
    {
    }

    /** @throws IllegalArgumentException when it is not host:port with a port in 1..65535. */
    static String[] parse(final String hostPort)
    {
        final int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1)
        {
            throw new IllegalArgumentException("expected host:port, got '" + hostPort + "'");
        }
        final String port = hostPort.substring(colon + 1);
        try
        {
            final int number = Integer.parseInt(port);
            if (number < 1 || number > 65535)
            {
                throw new IllegalArgumentException("port must be in 1..65535: '" + hostPort + "'");
            }
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("expected host:port, got '" + hostPort + "'", ex);
        }
        return new String[]{ hostPort.substring(0, colon), port };
    }

    static String requestChannel(final String hostPort)
    {
        return "aeron:udp?endpoint=" + hostPort;
    }
}
