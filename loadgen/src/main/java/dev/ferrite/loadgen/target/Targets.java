package dev.ferrite.loadgen.target;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * Opens a target by name. {@code engine} and {@code redis} are built in; others (the Ferrite client
 * target lives with the client) register a {@link LoadTargetProvider} through {@link ServiceLoader},
 * so this module need not depend on them.
 */
public final class Targets
{
    private Targets()
    {
    }

    /**
     * @param options looks up a command-line option by name ({@code host}, {@code port}, {@code nodes},
     *                {@code routing}, {@code secret}, {@code timeoutMs}, {@code requesters}, {@code capacityBytes}).
     */
    public static LoadTarget open(final String name, final Function<String, String> options)
    {
        final String key = name.toLowerCase(Locale.ROOT);
        switch (key)
        {
            case "engine":
                return new EmbeddedEngineTarget(Long.parseLong(options.apply("capacityBytes")));
            case "redis":
                return new RedisTarget(options.apply("host"), Integer.parseInt(options.apply("port")),
                    Integer.parseInt(options.apply("requesters")));
            default:
                for (final LoadTargetProvider provider : ServiceLoader.load(LoadTargetProvider.class))
                {
                    if (provider.name().equals(key))
                    {
                        return provider.open(options);
                    }
                }
                throw new IllegalArgumentException("unknown target '" + name + "': use one of " + String.join(", ", names()));
        }
    }

    public static List<String> names()
    {
        final java.util.ArrayList<String> names = new java.util.ArrayList<>(List.of("engine", "redis"));
        ServiceLoader.load(LoadTargetProvider.class).forEach(provider -> names.add(provider.name()));
        return names;
    }

    /** For picocli's completion candidates and help text. */
    public static final class Names implements Iterable<String>
    {
        @Override
        public Iterator<String> iterator()
        {
            return names().iterator();
        }
    }
}
