package dev.ferrite.cli;

import dev.ferrite.client.FerriteClient;
import dev.ferrite.client.FerriteException;
import dev.ferrite.client.FerriteTimeoutException;
import dev.ferrite.transport.sbe.ErrorCode;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ferrite cli}: one request to the cluster per call, in the style of {@code redis-cli},
 * with exit codes scripts can test ({@link ExitCodes}).
 */
@Command(name = "cli", mixinStandardHelpOptions = true,
    description = "Talks to a Ferrite cluster: get, set, delete, ttl, expire, incr, decr, where, topology, info, ping.",
    subcommands = {
        CliKeyCommands.Get.class, CliKeyCommands.Set.class, CliKeyCommands.Delete.class, CliKeyCommands.Ttl.class,
        CliKeyCommands.Expire.class, CliKeyCommands.Incr.class, CliKeyCommands.Decr.class, CliKeyCommands.Where.class,
        CliClusterCommands.Topology.class, CliClusterCommands.Info.class, CliClusterCommands.Ping.class},
    footer = {"", "Exit codes: 0 ok, 1 not found or condition failed, 2 usage, 3 unreachable, 4 error answer.",
        "Example: ferrite cli set greeting hello --ttl 60 && ferrite cli get greeting"})
public final class CliCommand implements Runnable
{
    @Mixin
    ConnectionOptions connection;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A request that needs a connected client; returns an exit code. */
    @FunctionalInterface
    interface Request
    {
        int run(FerriteClient client, PrintWriter out);
    }

    int call(final CommandLine.Model.CommandSpec command, final Request request)
    {
        final PrintWriter out = command.commandLine().getOut();
        final PrintWriter err = command.commandLine().getErr();
        try (FerriteClient client = connection.connect())
        {
            return request.run(client, out);
        }
        catch (final FerriteException ex)
        {
            final boolean unreachable = ex instanceof FerriteTimeoutException ||
                ex.code() == ErrorCode.TIMEOUT || ex.code() == ErrorCode.UNAVAILABLE;
            err.println("(error) " + (unreachable ? "unreachable: " : ex.code() + ": ") + ex.getMessage());
            return unreachable ? ExitCodes.UNREACHABLE : ExitCodes.SERVER_ERROR;
        }
        finally
        {
            out.flush();
            err.flush();
        }
    }
}
