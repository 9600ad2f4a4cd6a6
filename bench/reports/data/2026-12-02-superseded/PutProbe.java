import dev.ferrite.bench.data.KeyDistribution;
import dev.ferrite.bench.peers.*;
import dev.ferrite.bench.throughput.Preloader;
import dev.ferrite.engine.CacheStats;

public class PutProbe {
    public static void main(String[] a) throws Exception {
        int entries = 1_000_000;
        double headroom = Double.parseDouble(a.length > 0 ? a[0] : "1.25");
        int seconds = a.length > 1 ? Integer.parseInt(a[1]) : 10;
        FerriteStore store = new FerriteStore(entries, 100, headroom, false);
        Preloader.load(store, entries);
        int[] keys = KeyDistribution.parse("zipfian").keyIndexes(entries, 1 << 20, 42);
        CacheStats before = store.cache().stats();
        Thread[] ts = new Thread[2];
        long[] counts = new long[2];
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        for (int t = 0; t < 2; t++) {
            final int id = t;
            ts[t] = new Thread(() -> {
                BenchStore.Session s = store.session();
                int i = id * 1000; long n = 0;
                while (System.nanoTime() < end) {
                    for (int k = 0; k < 1000; k++) { s.put(keys[i++ & ((1 << 20) - 1)]); }
                    n += 1000;
                }
                counts[id] = n;
            });
            ts[t].start();
        }
        for (Thread t : ts) t.join();
        CacheStats after = store.cache().stats();
        long puts = counts[0] + counts[1];
        System.out.println("headroom=" + headroom + " puts/s=" + puts / seconds);
        System.out.println("before " + before);
        System.out.println("after  " + after);
    }
}
