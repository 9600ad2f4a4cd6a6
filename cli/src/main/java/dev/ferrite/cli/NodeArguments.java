package dev.ferrite.cli;

import dev.ferrite.transport.routing.NodeEndpoint;

import java.util.List;

/**
 * How {@code ferrite cluster start} configures and starts one node: a properties file in the
 * cluster directory, and {@code ferrite node --config=<file>}.
 */
final class NodeArguments
{
    /** What a node logs once it takes requests; the cluster waits for it. */
    static final String LISTENING_MARKER = dev.ferrite.node.NodeMain.LISTENING;

    private NodeArguments()
    {
    }

    static String properties(final ClusterLayout layout, final NodeEndpoint node, final List<String> extra)
    {
        final StringBuilder text = new StringBuilder();
        text.append("# Written by ferrite cluster start.\n");
        text.append("# Host and port come from this node's entry in the cluster file.\n");
        text.append("node.id=").append(node.nodeId()).append('\n');
        text.append("cluster.file=").append(layout.clusterFile().toAbsolutePath()).append('\n');
        for (final String line : extra)
        {
            text.append(line).append('\n');
        }
        return text.toString();
    }

    static List<String> command(final ClusterLayout layout, final NodeEndpoint node)
    {
        return List.of("node", "--config=" + layout.nodeConfig(node.nodeId()).toAbsolutePath());
    }
}
