package dev.ferrite.cli;

import java.nio.file.Path;

/**
 * Where a local cluster keeps its files, all under one directory:
 * <pre>
 *   &lt;dir&gt;/cluster.conf        the topology every node and client reads
 *   &lt;dir&gt;/node-&lt;id&gt;.properties  each node's configuration
 *   &lt;dir&gt;/node-&lt;id&gt;.pid       the node's process id, while it runs
 *   &lt;dir&gt;/logs/node-&lt;id&gt;.log  its standard output and error
 *   &lt;dir&gt;/data/node-&lt;id&gt;/     its snapshots
 * </pre>
 */
record ClusterLayout(Path directory)
{
    static final Path DEFAULT_DIRECTORY = Path.of(".ferrite", "cluster");

    Path clusterFile()
    {
        return directory.resolve("cluster.conf");
    }

    Path nodeConfig(final int nodeId)
    {
        return directory.resolve("node-" + nodeId + ".properties");
    }

    Path pidFile(final int nodeId)
    {
        return directory.resolve("node-" + nodeId + ".pid");
    }

    Path log(final int nodeId)
    {
        return directory.resolve("logs").resolve("node-" + nodeId + ".log");
    }

    Path dataDirectory(final int nodeId)
    {
        return directory.resolve("data").resolve("node-" + nodeId);
    }
}
