import dev.ferrite.bench.data.KeyDistribution;
import dev.ferrite.bench.peers.*;
import dev.ferrite.bench.throughput.Preloader;
import dev.ferrite.engine.CacheStats;

/** op (put|get|mixed) threads seconds [headroom]: ops/s over N threads on a 1 M-entry Ferrite store. */
public class MultiProbe {
    public static void main(String[] a) throws Exception {
        String op = a[0];
        int threads = Integer.parseInt(a[1]);
        int seconds = Integer.parseInt(a[2]);
        double headroom = a.length > 3 ? Double.parseDouble(a[3]) : 1.25;
        int entries = 1_000_000;
        FerriteStore store = new FerriteStore(entries, 100, headroom, false);
        Preloader.load(store, entries);
        int[] keys = KeyDistribution.parse("zipfian").keyIndexes(entries, 1 << 20, 42);
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
        System.out.println("op=" + op + " threads=" + threads + " headroom=" + headroom + " ops/s=" + total / seconds);
        System.out.println("before " + before);
        System.out.println("after  " + after);
        store.close();
    }
}
