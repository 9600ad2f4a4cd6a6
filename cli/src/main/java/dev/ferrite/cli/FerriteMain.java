package dev.ferrite.cli;

import dev.ferrite.loadgen.LoadGeneratorCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ferrite} command. Started by the {@code ./ferrite} launcher at the repository root,
 * which builds what is missing and passes the JVM flags Agrona, Aeron and Chronicle need.
 */
@Command(name = "ferrite", mixinStandardHelpOptions = true, version = "ferrite 0.1.0-SNAPSHOT",
    description = "Ferrite: a distributed cache for the JVM with an off-heap, lock-free core.",
    subcommands = {NodeCommand.class, DemoCommand.class, ClusterCommand.class, CliCommand.class, LoadGeneratorCommand.class, CommandLine.HelpCommand.class})
public final class FerriteMain implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine()
    {
        return new CommandLine(new FerriteMain()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(System.out);
    }
}
