package dev.ferrite.transport.routing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads and writes the cluster file that nodes and clients share (docs/routing.md):
 *
 * <pre>
 * # Ferrite cluster file
 * epoch = 1
 * virtual-nodes = 256
 * node.1 = 127.0.0.1:7101
 * node.2 = 127.0.0.1:7102
 * </pre>
 *
 * <p>One {@code key = value} per line; blank lines and everything from a {@code #} on are ignored.
 * {@code epoch} and {@code virtual-nodes} are required (a default would let two files that look
 * alike compile to different tables), then one {@code node.<id> = host:port} per node, IPv6 hosts in
 * brackets ({@code [::1]:7101}). Every fault is reported with the line it is on.
 */
public final class ClusterFile
{
    public static final String EPOCH = "epoch";
    public static final String VIRTUAL_NODES = "virtual-nodes";
    public static final String NODE_PREFIX = "node.";

    /** Host names and IPv4 addresses: letters, digits, dots, hyphens, underscores. */
    private static final Pattern NAME_OR_IPV4_HOST = Pattern.compile("[A-Za-z0-9._-]+");
    /** IPv6 addresses (inside brackets), with an optional zone: {@code fe80::1%eth0}. */
    private static final Pattern IPV6_HOST = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9._-]+)?");

    private ClusterFile()
    {
    }

    /** Reads and validates a cluster file (UTF-8). */
    public static ClusterSpec read(final Path file)
    {
        try
        {
            return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read cluster file " + file, ex);
        }
    }

    /**
     * Writes {@code spec} to {@code file} through a temporary file and a rename, so a node or client
     * reading it meanwhile sees the old file or the new one, never half of one.
     */
    public static void write(final ClusterSpec spec, final Path file)
    {
        final Path absolute = file.toAbsolutePath();
        try
        {
            final Path temporary = Files.createTempFile(absolute.getParent(), absolute.getFileName().toString(), ".tmp");
            try
            {
                Files.writeString(temporary, format(spec), StandardCharsets.UTF_8);
                try
                {
                    Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
                catch (final AtomicMoveNotSupportedException ex)
                {
                    Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            finally
            {
                Files.deleteIfExists(temporary);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write cluster file " + file, ex);
        }
    }

    /** The text of a cluster file for {@code spec}; {@link #parse} reads it back to an equal spec. */
    public static String format(final ClusterSpec spec)
    {
        final StringBuilder text = new StringBuilder()
            .append("# Ferrite cluster file (docs/routing.md)\n")
            .append(EPOCH).append(" = ").append(spec.epoch()).append('\n')
            .append(VIRTUAL_NODES).append(" = ").append(spec.virtualNodesPerNode()).append('\n');
        for (final NodeEndpoint node : spec.nodes())
        {
            final String host = node.host().indexOf(':') >= 0 ? "[" + node.host() + "]" : node.host();
            text.append(NODE_PREFIX).append(node.nodeId()).append(" = ").append(host).append(':').append(node.port()).append('\n');
        }
        return text.toString();
    }

    /**
     * @param source names the text in error messages, e.g. its path.
     * @throws ClusterFileException naming the line for anything malformed, duplicated or missing.
     */
    public static ClusterSpec parse(final String source, final String text)
    {
        long epoch = -1;
        int epochLine = 0;
        int virtualNodes = -1;
        int virtualNodesLine = 0;
        final List<NodeEndpoint> nodes = new ArrayList<>();
        final Map<Integer, Integer> lineByNodeId = new HashMap<>();
        final Map<String, Integer> lineByEndpoint = new HashMap<>();

        final String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++)
        {
            final int lineNumber = i + 1;
            final int hash = lines[i].indexOf('#');
            final String line = (hash >= 0 ? lines[i].substring(0, hash) : lines[i]).strip();
            if (line.isEmpty())
            {
                continue;
            }
            final int equals = line.indexOf('=');
            if (equals < 0)
            {
                throw new ClusterFileException(source, lineNumber, "expected 'key = value', got '" + line + "'");
            }
            final String key = line.substring(0, equals).strip();
            final String value = line.substring(equals + 1).strip();
            if (value.isEmpty())
            {
                throw new ClusterFileException(source, lineNumber, "no value for '" + key + "'");
            }
            if (key.equals(EPOCH))
            {
                checkFirst(source, lineNumber, key, epochLine);
                epoch = parseLong(source, lineNumber, key, value, 0, Long.MAX_VALUE);
                epochLine = lineNumber;
            }
            else if (key.equals(VIRTUAL_NODES))
            {
                checkFirst(source, lineNumber, key, virtualNodesLine);
                virtualNodes = (int)parseLong(source, lineNumber, key, value, 1, HashRing.MAX_VIRTUAL_NODES_PER_NODE);
                virtualNodesLine = lineNumber;
            }
            else if (key.startsWith(NODE_PREFIX))
            {
                final int nodeId = (int)parseLong(
                    source, lineNumber, "node id", key.substring(NODE_PREFIX.length()), 0, ClusterSpec.MAX_NODE_ID);
                final NodeEndpoint node = parseEndpoint(source, lineNumber, nodeId, value);
                final Integer firstIdLine = lineByNodeId.putIfAbsent(nodeId, lineNumber);
                if (firstIdLine != null)
                {
                    throw new ClusterFileException(source, lineNumber, "duplicate node id " + nodeId + " (first on line " + firstIdLine + ")");
                }
                final Integer firstEndpointLine = lineByEndpoint.putIfAbsent(ClusterSpec.endpointKey(node), lineNumber);
                if (firstEndpointLine != null)
                {
                    throw new ClusterFileException(
                        source, lineNumber, "duplicate endpoint " + node.endpoint() + " (first on line " + firstEndpointLine + ")");
                }
                nodes.add(node);
            }
            else
            {
                throw new ClusterFileException(
                    source, lineNumber, "unknown key '" + key + "' (expected " + EPOCH + ", " + VIRTUAL_NODES + " or " + NODE_PREFIX + "<id>)");
            }
        }

        if (epochLine == 0)
        {
            throw new ClusterFileException(source, 0, "missing '" + EPOCH + " = <number>'");
        }
        if (virtualNodesLine == 0)
        {
            throw new ClusterFileException(
                source, 0, "missing '" + VIRTUAL_NODES + " = <1.." + HashRing.MAX_VIRTUAL_NODES_PER_NODE + ">'");
        }
        if (nodes.isEmpty())
        {
            throw new ClusterFileException(source, 0, "no nodes: add lines like '" + NODE_PREFIX + "1 = 127.0.0.1:7101'");
        }
        return new ClusterSpec(epoch, virtualNodes, nodes);
    }

    private static void checkFirst(final String source, final int lineNumber, final String key, final int firstLine)
    {
        if (firstLine != 0)
        {
            throw new ClusterFileException(source, lineNumber, "duplicate '" + key + "' (first on line " + firstLine + ")");
        }
    }

    private static long parseLong(
        final String source, final int lineNumber, final String what, final String value, final long min, final long max)
    {
        final long parsed;
        try
        {
            parsed = Long.parseLong(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new ClusterFileException(source, lineNumber, "bad " + what + " '" + value + "': not a whole number");
        }
        if (parsed < min || parsed > max)
        {
            throw new ClusterFileException(source, lineNumber, "bad " + what + " " + parsed + ": must be in " + min + ".." + max);
        }
        return parsed;
    }

    /** {@code host:port} or {@code [ipv6]:port}. */
    private static NodeEndpoint parseEndpoint(final String source, final int lineNumber, final int nodeId, final String value)
    {
        final String host;
        final String port;
        final boolean bracketed = value.startsWith("[");
        if (bracketed)
        {
            final int close = value.indexOf("]:");
            if (close < 0)
            {
                throw new ClusterFileException(source, lineNumber, "bad endpoint '" + value + "': expected [ipv6]:port");
            }
            host = value.substring(1, close);
            port = value.substring(close + 2);
        }
        else
        {
            final int colon = value.lastIndexOf(':');
            if (colon < 0 || value.indexOf(':') != colon)
            {
                throw new ClusterFileException(
                    source, lineNumber, "bad endpoint '" + value + "': expected host:port (IPv6 hosts in brackets)");
            }
            host = value.substring(0, colon);
            port = value.substring(colon + 1);
        }
        if (!(bracketed ? IPV6_HOST : NAME_OR_IPV4_HOST).matcher(host).matches())
        {
            throw new ClusterFileException(source, lineNumber, "bad host '" + host + "' in '" + value + "'");
        }
        final int portNumber;
        try
        {
            portNumber = Integer.parseInt(port);
        }
        catch (final NumberFormatException ex)
        {
            throw new ClusterFileException(source, lineNumber, "bad port '" + port + "' in '" + value + "'");
        }
        if (portNumber < 1 || portNumber > 65535)
        {
            throw new ClusterFileException(source, lineNumber, "bad port " + portNumber + " in '" + value + "': must be in 1..65535");
        }
        return new NodeEndpoint(nodeId, host, portNumber);
    }
}
