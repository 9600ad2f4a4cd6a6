package dev.ferrite.node;

import dev.ferrite.transport.routing.ClusterFile;
import dev.ferrite.transport.routing.SlotTable;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;

/**
 * Applies a changed cluster file to a running node: edit the file (a higher {@code epoch}, nodes
 * added or removed) and every node reading it switches to the new slot table within the poll
 * interval, answering MOVED for the slots it no longer owns. A file that does not parse, or an epoch
 * that is not higher, is reported and ignored: the node keeps serving with the table it has.
 *
 * <p>Polls the file's modification time and size on a daemon thread (file-system watch services
 * miss edits made by renaming a new file over the old one, which is how {@link ClusterFile#write}
 * and most editors save). Off the request path entirely.
 */
public final class ClusterFileWatcher implements AutoCloseable
{
    private final Path file;
    private final FerriteNode node;
    private final PrintStream log;
    private final Thread thread;
    private volatile boolean running = true;
    private FileTime lastModified;
    private long lastSize;

    private ClusterFileWatcher(final Path file, final FerriteNode node, final Duration interval, final PrintStream log)
    {
        this.file = file;
        this.node = node;
        this.log = log;
        remember();
        this.thread = new Thread(() -> watch(interval.toMillis()), "ferrite-cluster-file-watcher");
        thread.setDaemon(true);
    }

    public static ClusterFileWatcher start(final Path file, final FerriteNode node, final Duration interval, final PrintStream log)
    {
        final ClusterFileWatcher watcher = new ClusterFileWatcher(file, node, interval, log);
        watcher.thread.start();
        return watcher;
    }

    private void watch(final long intervalMs)
    {
        while (running)
        {
            try
            {
                Thread.sleep(intervalMs);
                if (changed())
                {
                    apply();
                }
            }
            catch (final InterruptedException ex)
            {
                return;
            }
        }
    }

    private boolean changed()
    {
        try
        {
            return !Files.getLastModifiedTime(file).equals(lastModified) || Files.size(file) != lastSize;
        }
        catch (final IOException ex)
        {
            return false; // being replaced: look again next time
        }
    }

    /** Reads the file and installs its table if the epoch is higher. Visible for tests. */
    void apply()
    {
        remember();
        try
        {
            final SlotTable table = ClusterFile.read(file).compile();
            if (node.applyTopology(table))
            {
                log.println("ferrite node " + node.nodeId() + ": topology epoch " + table.epoch() + " applied from " + file);
            }
            else
            {
                log.println("ferrite node " + node.nodeId() + ": " + file + " changed but its epoch " + table.epoch() +
                    " is not newer than " + node.topology().epoch() + ": ignored");
            }
        }
        catch (final RuntimeException ex)
        {
            log.println("ferrite node " + node.nodeId() + ": " + file + " not applied, keeping epoch " + node.topology().epoch() +
                ": " + ex.getMessage());
        }
        log.flush();
    }

    private void remember()
    {
        try
        {
            lastModified = Files.getLastModifiedTime(file);
            lastSize = Files.size(file);
        }
        catch (final IOException ex)
        {
            lastModified = null;
        }
    }

    @Override
    public void close()
    {
        running = false;
        thread.interrupt();
    }
}
