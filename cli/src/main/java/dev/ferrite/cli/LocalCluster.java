package dev.ferrite.cli;

import dev.ferrite.transport.routing.ClusterFile;
import dev.ferrite.transport.routing.ClusterSpec;
import dev.ferrite.transport.routing.NodeEndpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * N node processes on loopback, with everything under one directory ({@link ClusterLayout}).
 * Nodes are found again through their pid files, so {@code start}, {@code status} and {@code stop}
 * can be separate invocations; a node is stopped by SIGTERM (graceful: it finishes what is in
 * flight), and only killed if it has not exited after the grace period.
 */
final class LocalCluster
{
    static final int DEFAULT_BASE_PORT = 7101;
    static final int VIRTUAL_NODES = 256;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final ClusterLayout layout;

    LocalCluster(final ClusterLayout layout)
    {
        this.layout = layout;
    }

    ClusterLayout layout()
    {
        return layout;
    }

    /**
     * Writes the cluster file and each node's configuration, starts the nodes and waits until every
     * one logs that it listens.
     *
     * @param nodeProperties extra node configuration lines (e.g. {@code cache.capacity.bytes=...}).
     * @throws IllegalStateException when a node of this directory still runs, or a node fails to start
     *                               (its log's last lines are in the message).
     */
    List<NodeEndpoint> start(final int nodeCount, final int basePort, final List<String> nodeProperties) throws IOException, InterruptedException
    {
        if (nodeCount < 1 || nodeCount > 64)
        {
            throw new IllegalArgumentException("--nodes must be in 1..64: " + nodeCount);
        }
        final List<Integer> running = runningNodes();
        if (!running.isEmpty())
        {
            throw new IllegalStateException("nodes " + running + " of " + layout.directory() + " are still running: stop them first");
        }
        Files.createDirectories(layout.directory());
        final List<NodeEndpoint> nodes = new ArrayList<>();
        for (int id = 1; id <= nodeCount; id++)
        {
            nodes.add(new NodeEndpoint(id, "127.0.0.1", basePort + id - 1));
        }
        ClusterFile.write(new ClusterSpec(1, VIRTUAL_NODES, nodes), layout.clusterFile());

        final List<Process> processes = new ArrayList<>();
        for (final NodeEndpoint node : nodes)
        {
            Files.createDirectories(layout.dataDirectory(node.nodeId()));
            Files.writeString(layout.nodeConfig(node.nodeId()), NodeArguments.properties(layout, node, nodeProperties), StandardCharsets.UTF_8);
            Files.deleteIfExists(layout.log(node.nodeId()));
            final Process process = ProcessLauncher.start(NodeArguments.command(layout, node), layout.log(node.nodeId()));
            Files.writeString(layout.pidFile(node.nodeId()), Long.toString(process.pid()), StandardCharsets.UTF_8);
            processes.add(process);
        }
        for (int i = 0; i < nodes.size(); i++)
        {
            awaitListening(nodes.get(i), processes.get(i));
        }
        return nodes;
    }

    private void awaitListening(final NodeEndpoint node, final Process process) throws IOException, InterruptedException
    {
        final long deadlineNs = System.nanoTime() + START_TIMEOUT.toNanos();
        final Path log = layout.log(node.nodeId());
        while (System.nanoTime() < deadlineNs)
        {
            if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(NodeArguments.LISTENING_MARKER))
            {
                return;
            }
            if (!process.isAlive())
            {
                throw new IllegalStateException("node " + node.nodeId() + " exited with " + process.exitValue() + ":\n" + tail(log));
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("node " + node.nodeId() + " did not start in " + START_TIMEOUT.toSeconds() + " s:\n" + tail(log));
    }

    /** Node ids whose pid file names a live process. */
    List<Integer> runningNodes() throws IOException
    {
        final List<Integer> running = new ArrayList<>();
        for (final int id : knownNodes())
        {
            if (process(id).map(ProcessHandle::isAlive).orElse(false))
            {
                running.add(id);
            }
        }
        return running;
    }

    /** Node ids that have a pid file, in order. */
    List<Integer> knownNodes() throws IOException
    {
        final List<Integer> ids = new ArrayList<>();
        if (!Files.isDirectory(layout.directory()))
        {
            return ids;
        }
        try (var files = Files.list(layout.directory()))
        {
            files.map(path -> path.getFileName().toString())
                .filter(name -> name.matches("node-\\d+\\.pid"))
                .map(name -> Integer.parseInt(name.substring(5, name.length() - 4)))
                .sorted()
                .forEach(ids::add);
        }
        return ids;
    }

    Optional<ProcessHandle> process(final int nodeId) throws IOException
    {
        final Path pidFile = layout.pidFile(nodeId);
        if (!Files.isRegularFile(pidFile))
        {
            return Optional.empty();
        }
        try
        {
            return ProcessHandle.of(Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).trim()));
        }
        catch (final NumberFormatException ex)
        {
            return Optional.empty();
        }
    }

    /**
     * Sends SIGTERM to every node, waits for each to exit, kills those that outstay the grace period,
     * and removes the pid files.
     *
     * @return a line per node saying how it ended.
     */
    List<String> stop() throws IOException, InterruptedException
    {
        final List<String> report = new ArrayList<>();
        final Map<Integer, ProcessHandle> signalled = new LinkedHashMap<>();
        final List<Integer> ids = knownNodes();
        for (final int id : ids)
        {
            final Optional<ProcessHandle> handle = process(id).filter(ProcessHandle::isAlive);
            if (handle.isPresent())
            {
                handle.get().destroy(); // SIGTERM: all nodes stop at once, each finishing its own work
                signalled.put(id, handle.get());
            }
        }
        for (final int id : ids)
        {
            final ProcessHandle handle = signalled.get(id);
            if (handle == null)
            {
                report.add("node " + id + ": not running");
            }
            else
            {
                try
                {
                    handle.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                    report.add("node " + id + ": stopped");
                }
                catch (final TimeoutException | ExecutionException ex)
                {
                    handle.destroyForcibly();
                    report.add("node " + id + ": killed after " + STOP_GRACE.toSeconds() + " s");
                }
            }
            Files.deleteIfExists(layout.pidFile(id));
        }
        return report;
    }

    static String tail(final Path log) throws IOException
    {
        if (!Files.exists(log))
        {
            return "(no log)";
        }
        final List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }
}
