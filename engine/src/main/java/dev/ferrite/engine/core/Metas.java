package dev.ferrite.engine.core;

import dev.ferrite.engine.EntryMeta;

/** Null-tolerant writes to a caller's {@link EntryMeta}. */
final class Metas
{
    private Metas()
    {
    }

    static void set(final EntryMeta meta, final long version, final long expiresAtMillis, final int valueLength)
    {
        if (meta != null)
        {
            meta.set( version, expiresAtMillis, valueLength);
        }
    }

    static void clear(final EntryMeta meta)
    {
        set(meta, 0, 0, 0);
    }
}
