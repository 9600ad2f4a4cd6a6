import dev.ferrite.bench.data.KeyDistribution;
import dev.ferrite.bench.peers.*;
import dev.ferrite.bench.throughput.Preloader;
import dev.ferrite.engine.CacheStats;

/** op (put|get|mixed) threads seconds [headroom]: ops/s over N threads on a 1 M-entry Ferrite store. */
public class MultiProbe3 {
    public static void main(String[] a) throws Exception {
        String op = a[0];
        int threads = Integer.parseInt(a[1]);
        int seconds = Integer.parseInt(a[2]);
        double headroom = a.length > 3 ? Double.parseDouble(a[3]) : 1.25;
        int entries = 1_000_000;
        int ahead = a.length > 4 ? Integer.parseInt(a[4]) : 0; FerriteStore store = new FerriteStore(FerriteStore.config(entries, 100, headroom), entries, 100, false); System.out.println("segments=" + store.cache().config().segmentCount() + " segmentBytes=" + store.cache().config().segmentBytes());
        Preloader.load(store, entries);
        int[] keys = KeyDistribution.parse("zipfian").keyIndexes(entries, 1 << 20, 42);
        final long[] agentWork = {0};
        org.agrona.concurrent.AgentRunner runner = null;
        if (ahead > 0) {
            final dev.ferrite.engine.ReclaimAgent ra = store.cache().newReclaimAgent(ahead);
            org.agrona.concurrent.Agent counting = new org.agrona.concurrent.Agent() {
                public int doWork() { int w = ra.doWork(); agentWork[0] += w; return w; }
                public String roleName() { return "counting"; } };
            org.agrona.concurrent.IdleStrategy idle = a.length > 5 && a[5].equals("yield") ? new org.agrona.concurrent.YieldingIdleStrategy() : new org.agrona.concurrent.BackoffIdleStrategy();
            runner = new org.agrona.concurrent.AgentRunner(idle, Throwable::printStackTrace, null, counting);
            org.agrona.concurrent.AgentRunner.startOnThread(runner);
        }
        CacheStats before = store.cache().stats();
        Thread[] ts = new Thread[threads];
        long[] counts = new long[threads];
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        for (int t = 0; t < threads; t++) {
            final int id = t;
            ts[t] = new Thread(() -> {
                BenchStore.Session s = store.session();
                int i = id * 7919; long n = 0; long sink = 0;
                while (System.nanoTime() < end) {
                    for (int k = 0; k < 1000; k++) {
                        int key = keys[i++ & ((1 << 20) - 1)];
                        if (op.equals("put") || (op.equals("mixed") && (k & 1) == 0)) sink += s.put(key);
                        else sink += s.get(key);
                    }
                    n += 1000;
                }
                counts[id] = n + (sink == 42 ? 1 : 0);
            });
            ts[t].start();
        }
        long total = 0;
        for (int t = 0; t < threads; t++) { ts[t].join(); total += counts[t]; }
        CacheStats after = store.cache().stats();
        if (runner != null) runner.close();
        System.out.println("agent reclaimed segments=" + agentWork[0] + " segments written~=" + ((after.puts()-before.puts()+after.relocations()-before.relocations())*152L/store.cache().config().segmentBytes()));
        System.out.println("op=" + op + " threads=" + threads + " headroom=" + headroom + " ops/s=" + total / seconds);
        System.out.println("before " + before);
        System.out.println("after  " + after);
        store.close();
    }
}
