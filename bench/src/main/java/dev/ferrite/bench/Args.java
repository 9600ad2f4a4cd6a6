package dev.ferrite.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} command-line options, with defaults and a clear error for unknown ones. */
public final class Args
{
    private final Map<String, String> values = new HashMap<>();

    public Args(final String[] args, final String... known)
    {
        final List<String> allowed = Arrays.asList(known);
        for (int i = 0; i < args.length; i++)
        {
            final String name = args[i];
            if (!name.startsWith("--") || !allowed.contains(name.substring(2)))
            {
                throw new IllegalArgumentException("unknown option " + name + "; known: --" + String.join(", --", known));
            }
            if (i + 1 >= args.length)
            {
                throw new IllegalArgumentException("option " + name + " needs a value");
            }
            values.put(name.substring(2), args[++i]);
        }
    }

    public String get(final String name, final String fallback)
    {
        return values.getOrDefault(name, fallback);
    }

    public int getInt(final String name, final int fallback)
    {
        return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
    }

    public boolean has(final String name)
    {
        return values.containsKey(name);
    }

    /** A comma-separated list. */
    public List<String> getList(final String name, final String fallback)
    {
        final List<String> list = new ArrayList<>();
        for (final String item : get(name, fallback).split(","))
        {
            if (!item.isBlank())
            {
                list.add(item.trim());
            }
        }
        return list;
    }
}
