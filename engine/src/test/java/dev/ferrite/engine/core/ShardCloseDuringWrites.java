package dev.ferrite.engine.core;

import dev.ferrite.engine.CacheConfig;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Closing a sharded store while writes reclaim in a later shard (run in a child JVM by
 * {@code ShardedCacheLifecycleTest}, since the failure it guards against kills the JVM). Found by
 * review: ShardedStore.close() freed shard 0 first (and with it the shared KeepPolicyAdvisor's
 * off-heap sample buffers and the sketch its shadows read) while operations in later shards were
 * still in flight; a write there that reclaimed called keepAdvisor.drain() on freed memory and the
 * JVM died (SIGSEGV) in the first round. Prints one line per round survived.
 */
public final class ShardCloseDuringWrites
{
    public static void main(final String[] args) throws Exception
    {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        for (int round = 0; round < rounds; round++)
        {
            // 2 shards of 64 MiB: each shard's allocation is above glibc's largest mmap threshold (32 MiB),
            // so free() unmaps it and a later access faults instead of reading stale bytes.
            final CacheConfig config = new CacheConfig().capacityBytes(128L << 20).maxKeyLength(64)
                .maxValueLength(16 * 1024).segmentBytes(64 << 10).shards(2);
            final ShardedStore store = new ShardedStore(config);
            final List<byte[]> shard1Keys = new ArrayList<>();
            for (int i = 0; shard1Keys.size() < 20_000; i++)
            {
                final byte[] key = ("k" + i).getBytes(StandardCharsets.US_ASCII);
                if (store.shardOf(store.shard(0).hash(new UnsafeBuffer(key), 0, key.length)) == 1)
                {
                    shard1Keys.add(key);
                }
            }
            final UnsafeBuffer value = new UnsafeBuffer(new byte[8 * 1024]);
            // Fill shard 1 past its log so that from now on writes reclaim.
            final UnsafeBuffer k = new UnsafeBuffer(new byte[0]);
            for (int i = 0; i < 12_000; i++)
            {
                final byte[] key = shard1Keys.get(i % shard1Keys.size());
                k.wrap(key);
                store.put(k, 0, key.length, value, 0, value.capacity(), 0, Store.PUT_ALWAYS, 0, null);
            }
            final int writers = 2;
            final CountDownLatch started = new CountDownLatch(writers);
            final Thread[] threads = new Thread[writers];
            for (int t = 0; t < writers; t++)
            {
                final int offset = t * 7919;
                threads[t] = new Thread(() ->
                {
                    final UnsafeBuffer kb = new UnsafeBuffer(new byte[0]);
                    started.countDown();
                    try
                    {
                        for (int i = offset; ; i++)
                        {
                            final byte[] key = shard1Keys.get(i % shard1Keys.size());
                            kb.wrap(key);
                            store.put(kb, 0, key.length, value, 0, value.capacity(), 0, Store.PUT_ALWAYS, 0, null);
                        }
                    }
                    catch (final IllegalStateException closed)
                    {
                        // expected once shard 1 closes
                    }
                });
                threads[t].start();
            }
            started.await();
            Thread.sleep(5);
            store.close(); // shard 1's writers still reclaiming
            for (final Thread thread : threads)
            {
                thread.join();
            }
            System.out.println("round " + round + " survived");
        }
        System.out.println("no crash in " + rounds + " rounds");
    }
}
