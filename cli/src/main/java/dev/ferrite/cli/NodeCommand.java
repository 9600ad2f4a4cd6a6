package dev.ferrite.cli;

import dev.ferrite.node.NodeMain;

import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code ferrite node [--config=FILE] [--key=value ...]}: runs one node in this process, exactly as
 * {@code ./ferrite-node} does (the keys are those of {@code config/node.properties}). SIGTERM or
 * Ctrl-C stops it gracefully.
 */
@Command(name = "node", description = {"Runs one node: ferrite node [--config=FILE] [--key=value ...].",
    "Keys and defaults: config/node.properties and docs/node.md. SIGTERM or Ctrl-C stops it gracefully (exit 0)."})
public final class NodeCommand implements Runnable
{
    @Unmatched
    List<String> arguments = new ArrayList<>();

    @Override
    public void run()
    {
        NodeMain.main(arguments.toArray(new String[0]));
    }
}
