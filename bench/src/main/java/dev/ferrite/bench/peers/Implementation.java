package dev.ferrite.bench.peers;

import java.util.Locale;

/** The implementations a benchmark can name, and how to build each one. */
public enum Implementation
{
    /** Ferrite through its zero-garbage DirectBuffer API. */
    FERRITE("ferrite", "Ferrite"),
    /** Ferrite through its convenient byte[] API (allocates the returned value). */
    FERRITE_BYTES("ferrite-bytes", "Ferrite byte[]"),
    /** Ferrite's zero-garbage API, with a background thread reclaiming ahead of writes (ReclaimAgent). */
    FERRITE_AHEAD("ferrite-ahead", "Ferrite, reclaim ahead"),
    /** Ferrite's zero-garbage API in one store, whatever shard count the machine would pick: what sharding gains. */
    FERRITE_ONE_SHARD("ferrite-1shard", "Ferrite, one shard"),
    CAFFEINE("caffeine", "Caffeine"),
    CHM("chm", "ConcurrentHashMap"),
    CHRONICLE("chronicle", "Chronicle Map"),
    OHC("ohc", "OHC");

    private final String id;
    private final String displayName;

    Implementation(final String id, final String displayName)
    {
        this.id = id;
        this.displayName = displayName;
    }

    public String id()
    {
        return id;
    }

    public String displayName()
    {
        return displayName;
    }

    public static Implementation parse(final String id)
    {
        for (final Implementation implementation : values())
        {
            if (implementation.id.equals(id.toLowerCase(Locale.ROOT)))
            {
                return implementation;
            }
        }
        throw new IllegalArgumentException("implementation=" + id + " is not one of ferrite, ferrite-bytes, ferrite-ahead, ferrite-1shard, caffeine, chm, chronicle, ohc");
    }

    /**
     * Builds an empty store sized to hold {@code entries} entries of 16-byte keys and
     * {@code valueBytes}-byte values without evicting (bounded ones at that capacity).
     */
    public BenchStore create(final int entries, final int valueBytes)
    {
        switch (this)
        {
            case FERRITE:
                return new FerriteStore(entries, valueBytes, FerriteStore.THROUGHPUT_HEADROOM, false);
            case FERRITE_BYTES:
                return new FerriteStore(entries, valueBytes, FerriteStore.THROUGHPUT_HEADROOM, true);
            case FERRITE_AHEAD:
                return new FerriteStore(FerriteStore.config(entries, valueBytes, FerriteStore.THROUGHPUT_HEADROOM)
                    .reclaimAheadSegments(FerriteStore.RECLAIM_AHEAD_SEGMENTS), entries, valueBytes, false);
            case FERRITE_ONE_SHARD:
                return new FerriteStore(FerriteStore.config(entries, valueBytes, FerriteStore.THROUGHPUT_HEADROOM, 1),
                    entries, valueBytes, false);
            case CAFFEINE:
                return new CaffeineStore(entries, valueBytes);
            case CHM:
                return new ConcurrentHashMapStore(entries, valueBytes);
            case CHRONICLE:
                return new ChronicleMapStore(entries, valueBytes);
            case OHC:
                return new OhcStore(entries, valueBytes);
            default:
                throw new AssertionError(this);
        }
    }
}
