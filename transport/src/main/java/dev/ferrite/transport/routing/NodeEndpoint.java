package dev.ferrite.transport.routing;

import java.util.Objects;

/**
 * A node of the cluster: its stable id and the UDP endpoint where it takes requests.
 *
 * @param nodeId non-negative id, unique in the cluster and stable across restarts (it seeds the
 *               node's virtual nodes on the ring, so a restarted node gets the same slots back).
 * @param host   host name or IP address the node's request channel listens on.
 * @param port   UDP port of the request channel.
 */
public record NodeEndpoint(int nodeId, String host, int port)
{
    public NodeEndpoint
    {
        if (nodeId < 0)
        {
            throw new IllegalArgumentException("nodeId must be >= 0: " + nodeId);
        }
        Objects.requireNonNull(host, "host");
        if (host.isBlank())
        {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 1 || port > 65535)
        {
            throw new IllegalArgumentException("port must be in 1..65535: " + port);
        }
    }

    /** {@code host:port}, as it travels in MOVED and topology answers. */
    public String endpoint()
    {
        return host + ":" + port;
    }

    /** The Aeron channel a client publishes requests to. */
    public String requestChannel()
    {
        return "aeron:udp?endpoint=" + endpoint();
    }
}
