package dev.ferrite.client;

import dev.ferrite.transport.routing.SlotTable;
import dev.ferrite.transport.sbe.ErrorCode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** A stopped node: its keys time out within the request timeout, the other nodes keep serving theirs. */
class NodeFailureTest
{
    private static byte[] keyOwnedBy(final SlotTable table, final int owner, final String prefix)
    {
        for (int i = 0; ; i++)
        {
            final byte[] key = (prefix + i).getBytes(StandardCharsets.UTF_8);
            if (table.ownerOf(SlotTable.slotOf(new UnsafeBuffer(key), 0, key.length)) == owner)
            {
                return key;
            }
        }
    }

    @Test
    void shouldSayHelloAgainWhenANodeRestarts()
    {
        try (RealCluster cluster = new RealCluster(3, null);
            FerriteClient client = FerriteClient.connect(new ClientConfig().seeds(cluster.seeds()).requestTimeoutMs(3000)))
        {
            final byte[] key = keyOwnedBy(cluster.splitTable(1, 0), 2, "restarted-");
            assertTrue(client.set(key, key).ok());

            cluster.restart(2); // an empty node that drops requests from sessions it has not welcomed

            assertFalse(client.get(key).found(), "the new node answered (its cache starts empty)");
            assertTrue(client.set(key, key).ok());
            assertArrayEquals(key, client.get(key).value());
        }
    }

    @Test
    void shouldAnswerEveryRequestInFlightAcrossARestartLongBeforeItsDeadline() throws InterruptedException
    {
        try (RealCluster cluster = new RealCluster(3, null);
            FerriteClient client = FerriteClient.connect(new ClientConfig().seeds(cluster.seeds()).requestTimeoutMs(8000)))
        {
            final SlotTable table = cluster.splitTable(1, 0);
            final byte[] key = keyOwnedBy(table, 2, "flood-");
            final byte[] counter = keyOwnedBy(table, 2, "counter-");
            assertTrue(client.set(key, key).ok());

            // Requests in flight across a restart: some reach the old node as it stops (STOPPING: sent
            // again after a pause), some reach nobody, some the new node before the client learns that
            // the session ended (the new node drops them). Reads are sent again once the old node's reply
            // image goes away; increments, which may have been applied, fail at once instead.
            final Thread restarter = new Thread(() -> cluster.restart(2), "restarter");
            final List<CompletableFuture<GetResult>> reads = new ArrayList<>();
            final List<CompletableFuture<Long>> increments = new ArrayList<>();
            final long startNs = System.nanoTime();
            restarter.start();
            while (restarter.isAlive() || System.nanoTime() - startNs < TimeUnit.MILLISECONDS.toNanos(300))
            {
                reads.add(client.getAsync(key));
                increments.add(client.incrementAsync(counter, 1, 1, 0));
                LockSupport.parkNanos(200_000);
            }
            restarter.join();
            int found = 0;
            for (final CompletableFuture<GetResult> read : reads)
            {
                found += read.join().found() ? 1 : 0; // join throws if one timed out
            }
            int lostIncrements = 0;
            for (final CompletableFuture<Long> increment : increments)
            {
                try
                {
                    assertTrue(increment.join() > 0);
                }
                catch (final java.util.concurrent.CompletionException ex)
                {
                    final FerriteException cause = assertInstanceOf(FerriteException.class, ex.getCause());
                    assertEquals(ErrorCode.UNAVAILABLE, cause.code(), cause.getMessage());
                    assertTrue(cause.getMessage().contains("may or may not have been applied"), cause.getMessage());
                    lostIncrements++;
                }
            }
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            System.out.println("restart under load: " + reads.size() + " reads (" + found + " found), " + increments.size() +
                " increments (" + lostIncrements + " lost with their session) in " + elapsedMs + " ms");
            assertTrue(elapsedMs < 6000, reads.size() + " reads took " + elapsedMs + " ms");
            assertTrue(found < reads.size(), "the restarted node starts empty: some read must miss");
        }
    }

    @Test
    void shouldTimeOutRequestsForAStoppedNodeAndServeTheOthers()
    {
        try (RealCluster cluster = new RealCluster(3, null);
            FerriteClient client = FerriteClient.connect(new ClientConfig().seeds(cluster.seeds()).connectTimeoutMs(200).requestTimeoutMs(3000)))
        {
            final SlotTable table = cluster.splitTable(1, 0);
            final byte[] onStopped = keyOwnedBy(table, 2, "stopped-");
            final byte[] onLive = keyOwnedBy(table, 1, "live-");
            assertTrue(client.set(onStopped, onStopped).ok());
            assertTrue(client.set(onLive, onLive).ok());

            cluster.stop(2);

            final FerriteClient impatient = client.withTimeout(Duration.ofMillis(400));
            final long startNs = System.nanoTime();
            assertThrows(FerriteTimeoutException.class, () -> impatient.get(onStopped));
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            assertTrue(elapsedMs >= 400 && elapsedMs < 2500, "gave up after " + elapsedMs + " ms");
            assertArrayEquals(onLive, impatient.get(onLive).value());
        }
    }
}
