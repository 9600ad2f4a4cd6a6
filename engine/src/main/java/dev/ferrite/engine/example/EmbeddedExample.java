package dev.ferrite.engine.example;

import dev.ferrite.engine.CacheConfig;
import dev.ferrite.engine.CacheStats;
import dev.ferrite.engine.EntryMeta;
import dev.ferrite.engine.FerriteCache;
import dev.ferrite.engine.Status;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A short tour of the embedded engine: the byte[] API, versions and compare-and-set, TTL, the
 * zero-garbage buffer API, eviction under a byte budget, and statistics. Run it with
 * {@code ./run.sh} from the repository root.
 */
public final class EmbeddedExample
{
    private EmbeddedExample()
    {
    }

    public static void main(final String[] args)
    {
        final CacheConfig config = new CacheConfig().capacityBytes(32L << 20);
        try (FerriteCache cache = FerriteCache.create(config))
        {
            System.out.println("Created " + cache.config());

            // 1. Plain byte[] API.
            final long version = cache.put(bytes("user:42"), bytes("Ada Lovelace"));
            System.out.println("put user:42 -> version " + version);
            System.out.println("get user:42 -> " + text(cache.get(bytes("user:42"))));

            // 2. Versions: compare-and-set succeeds only against the version you read.
            final EntryMeta meta = new EntryMeta();
            cache.get(bytes("user:42"), meta);
            final long next = cache.compareAndSet(bytes("user:42"), bytes("Ada King"), 0, meta.version());
            final long stale = cache.compareAndSet(bytes("user:42"), bytes("someone else"), 0, meta.version());
            System.out.println("cas with current version -> " + Status.describe(next) +
                ", cas with stale version -> " + Status.describe(stale));

            // 3. TTL: absolute expiry in epoch millis; touch extends it.
            final long expiresAt = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(30);
            cache.put(bytes("session:7"), bytes("token"), expiresAt);
            cache.get(bytes("session:7"), meta);
            System.out.println("session:7 expires in ~" + (meta.expiresAtMillis() - System.currentTimeMillis()) / 1000 + " s");

            // 4. The zero-garbage API: keys and values in Agrona buffers, status codes, no allocation.
            final UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[100]);
            final UnsafeBuffer destination = new UnsafeBuffer(new byte[100]);
            final int entries = 500_000;
            final long start = System.nanoTime();
            for (int i = 0; i < entries; i++)
            {
                key.putLong(0, i);
                value.putInt(0, i);
                cache.put(key, 0, key.capacity(), value, 0, value.capacity(), 0);
            }
            int hits = 0;
            for (int i = 0; i < entries; i++)
            {
                key.putLong(0, i);
                if (cache.get(key, 0, key.capacity(), destination, 0, null) >= 0)
                {
                    hits++;
                }
            }
            final long elapsedNs = System.nanoTime() - start;
            System.out.printf("wrote and read %,d entries of 100 bytes in %d ms; %,d still cached%n",
                entries, TimeUnit.NANOSECONDS.toMillis(elapsedNs), hits);

            // 5. The budget held: the oldest, least used entries were evicted to make room.
            final CacheStats stats = cache.stats();
            System.out.printf("budget %,d bytes, allocated %,d off-heap; %,d entries, %,d evicted, hit ratio %.1f%%%n",
                stats.capacityBytes(), stats.allocatedBytes(), stats.entries(), stats.evictions(), stats.hitRatio() * 100);
        }
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(final byte[] bytes)
    {
        return bytes == null ? "(miss)" : new String(bytes, StandardCharsets.UTF_8);
    }
}
