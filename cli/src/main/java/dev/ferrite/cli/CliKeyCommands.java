package dev.ferrite.cli;

import dev.ferrite.client.GetResult;
import dev.ferrite.client.Status;
import dev.ferrite.client.WriteResult;
import dev.ferrite.transport.routing.NodeEndpoint;
import dev.ferrite.transport.routing.SlotTable;
import dev.ferrite.transport.sbe.SetCondition;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The keyed {@code ferrite cli} commands. Keys and values are UTF-8 text on the command line. */
final class CliKeyCommands
{
    private CliKeyCommands()
    {
    }

    static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Text when the bytes are printable UTF-8, else hex, as {@code redis-cli} shows binary values. */
    static String show(final byte[] value)
    {
        final String text = new String(value, StandardCharsets.UTF_8);
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '\uFFFD' || (Character.isISOControl(c) && c != '\n' && c != '\t'))
            {
                final StringBuilder hex = new StringBuilder("0x");
                for (final byte b : value)
                {
                    hex.append(String.format("%02x", b));
                }
                return hex.toString();
            }
        }
        return '"' + text + '"';
    }

    static String ttl(final long ttlRemainingMillis)
    {
        return ttlRemainingMillis < 0 ? "no expiry" : String.format(java.util.Locale.ROOT, "%.3f s", ttlRemainingMillis / 1000.0);
    }

    /** Prints {@code (nil)} and returns 1 for a miss; otherwise lets {@code print} show the entry. */
    static int whenFound(final GetResult result, final java.io.PrintWriter out, final java.util.function.Consumer<GetResult> print)
    {
        if (!result.found())
        {
            out.println("(nil)");
            return ExitCodes.NOT_FOUND_OR_CONDITION_FAILED;
        }
        print.accept(result);
        return ExitCodes.OK;
    }

    abstract static class KeyCommand implements Callable<Integer>
    {
        @ParentCommand
        CliCommand cli;

        @Spec
        CommandSpec spec;
    }

    @Command(name = "get", description = "Prints the value (with -v also its version and TTL); exit 1 when absent.")
    static final class Get extends KeyCommand
    {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Option(names = {"-v", "--verbose"}, description = "Also print the version and remaining TTL.")
        boolean verbose;

        @Override
        public Integer call()
        {
            return cli.call(spec, (client, out) -> whenFound(client.get(utf8(key)), out, result ->
            {
                out.println(show(result.value()));
                if (verbose)
                {
                    out.println("version " + result.version() + ", ttl " + ttl(result.ttlRemainingMillis()));
                }
            }));
        }
    }

    @Command(name = "set", description = "Stores a value; prints OK and the new version, or why the condition failed (exit 1).")
    static final class Set extends KeyCommand
    {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Parameters(index = "1", paramLabel = "VALUE")
        String value;

        @Option(names = "--ttl", defaultValue = "0", description = "Seconds to live (0 = no expiry).")
        double ttlSeconds;

        @ArgGroup(exclusive = true)
        Condition condition;

        static final class Condition
        {
            @Option(names = "--nx", description = "Only if absent.")
            boolean ifAbsent;

            @Option(names = "--xx", description = "Only if present.")
            boolean ifPresent;

            @Option(names = "--if-version", description = "Only if the current version is this one (compare-and-set).")
            Long ifVersion;
        }

        @Override
        public Integer call()
        {
            final SetCondition kind = condition == null ? SetCondition.ALWAYS :
                condition.ifAbsent ? SetCondition.IF_ABSENT : condition.ifPresent ? SetCondition.IF_PRESENT : SetCondition.IF_VERSION;
            final long expected = condition != null && condition.ifVersion != null ? condition.ifVersion : 0;
            if (ttlSeconds < 0)
            {
                spec.commandLine().getErr().println("(error) --ttl must be >= 0");
                return ExitCodes.USAGE;
            }
            return cli.call(spec, (client, out) ->
                written(client.set(utf8(key), utf8(value), Math.round(ttlSeconds * 1000), kind, expected), out));
        }
    }

    static int written(final WriteResult result, final java.io.PrintWriter out)
    {
        if (result.ok())
        {
            out.println("OK (version " + result.version() + ")");
            return ExitCodes.OK;
        }
        out.println("(not done) " + describe(result.status()));
        return ExitCodes.NOT_FOUND_OR_CONDITION_FAILED;
    }

    private static String describe(final Status status)
    {
        switch (status)
        {
            case NOT_FOUND: return "no such key";
            case EXISTS: return "the key exists";
            case VERSION_MISMATCH: return "the key has another version";
            default: return status.name();
        }
    }

    @Command(name = "delete", aliases = "del", description = "Removes a key; exit 1 when it was not there.")
    static final class Delete extends KeyCommand
    {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Option(names = "--if-version", defaultValue = "0", description = "Only if the current version is this one.")
        long ifVersion;

        @Override
        public Integer call()
        {
            return cli.call(spec, (client, out) -> written(client.delete(utf8(key), ifVersion), out));
        }
    }

    @Command(name = "ttl", description = "Prints the remaining time to live; exit 1 when the key is absent.")
    static final class Ttl extends KeyCommand
    {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Override
        public Integer call()
        {
            return cli.call(spec, (client, out) ->
                whenFound(client.get(utf8(key)), out, result -> out.println(ttl(result.ttlRemainingMillis()))));
        }
    }

    @Command(name = "expire", description = "Sets a new time to live on a live key (0 = no expiry); exit 1 when absent.")
    static final class Expire extends KeyCommand
    {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Parameters(index = "1", paramLabel = "SECONDS")
        double seconds;

        @Override
        public Integer call()
        {
            if (seconds < 0)
            {
                spec.commandLine().getErr().println("(error) SECONDS must be >= 0");
                return ExitCodes.USAGE;
            }
            return cli.call(spec, (client, out) -> written(client.touch(utf8(key), Math.round(seconds * 1000)), out));
        }
    }

    /** incr and decr: the same request, with the amount's sign as the only difference. */
    abstract static class Adjust extends KeyCommand
    {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Option(names = "--by", defaultValue = "1", description = "Amount (default ${DEFAULT-VALUE}).")
        long by;

        abstract long delta();

        @Override
        public Integer call()
        {
            return cli.call(spec, (client, out) ->
            {
                out.println(client.increment(utf8(key), delta(), delta(), 0));
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "incr", description = "Adds to a decimal integer value (created at the amount when absent); prints the result.")
    static final class Incr extends Adjust
    {
        @Override
        long delta()
        {
            return by;
        }
    }

    @Command(name = "decr", description = "Subtracts from a decimal integer value (created at minus the amount when absent).")
    static final class Decr extends Adjust
    {
        @Override
        long delta()
        {
            return -by;
        }
    }

    @Command(name = "where", description = "Shows a key's slot and the node that owns it.")
    static final class Where extends KeyCommand
    {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Override
        public Integer call()
        {
            return cli.call(spec, (client, out) ->
            {
                final byte[] bytes = utf8(key);
                final SlotTable table = client.topology();
                final int slot = SlotTable.slotOf(new UnsafeBuffer(bytes), 0, bytes.length);
                final NodeEndpoint owner = table.node(table.ownerOf(slot));
                out.println("slot " + slot + " -> node " + owner.nodeId() + " (" + owner.endpoint() + "), epoch " + table.epoch());
                return ExitCodes.OK;
            });
        }
    }
}
