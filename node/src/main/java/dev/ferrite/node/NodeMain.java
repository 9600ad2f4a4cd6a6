package dev.ferrite.node;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import sun.misc.Signal;

/**
 * The node process: {@code ./ferrite-node [--config=FILE] [--key=value ...]}.
 *
 * <p>Reads the configuration ({@link NodeProperties}), starts the engine, the media driver and the
 * server, and prints one line saying where it listens. SIGTERM or SIGINT stops it gracefully (new
 * requests are answered STOPPING, forwards in flight finish, the embedded driver's directory is
 * removed) and the process exits 0. A bad configuration exits 2, a failure to start exits 1. With a
 * cluster file, edits to it with a higher epoch are applied while running ({@link ClusterFileWatcher}).
 */
public final class NodeMain
{
    public static final String LISTENING = "ferrite node listening";

    private NodeMain()
    {
    }

    public static void main(final String[] args)
    {
        final NodeConfig config;
        try
        {
            config = NodeProperties.load(args);
        }
        catch (final RuntimeException ex)
        {
            System.err.println("ferrite node: bad configuration: " + ex.getMessage());
            System.exit(2);
            return;
        }

        final FerriteNode node;
        try
        {
            node = FerriteNode.start(config);
        }
        catch (final RuntimeException ex)
        {
            System.err.println("ferrite node: cannot start: " + ex);
            System.exit(1);
            return;
        }

        // An edited cluster file (higher epoch) is applied without a restart.
        final ClusterFileWatcher watcher = config.clusterFile() == null ? null :
            ClusterFileWatcher.start(config.clusterFile(), node, Duration.ofMillis(500), System.out);
        final CountDownLatch stop = new CountDownLatch(1);
        // Handle the signals ourselves: with only a shutdown hook the JVM would exit 143 on SIGTERM.
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "ferrite-node-shutdown"));

        System.out.println(LISTENING + " on " + node.endpoint().requestChannel() + " stream " +
            dev.ferrite.transport.ProtocolConstants.REQUEST_STREAM_ID + ": node " + node.nodeId() + ", topology epoch " +
            node.topology().epoch() + ", media driver " + node.aeronDirectoryName() + ", " + config);
        System.out.flush();

        try
        {
            stop.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (watcher != null)
        {
            watcher.close();
        }
        node.close();
        System.out.println("ferrite node " + node.nodeId() + " stopped");
        System.out.flush();
        System.exit(0);
    }
}
