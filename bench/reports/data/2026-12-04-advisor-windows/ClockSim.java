import dev.ferrite.bench.hitratio.*;
import java.nio.file.*;
import java.util.*;

public class ClockSim {
    // CLOCK with capacity N; also FerritePolicy with size sampling
    static double clock(int[] keys, int n) {
        HashMap<Integer,Integer> pos = new HashMap<>();
        int[] slotKey = new int[n]; boolean[] ref = new boolean[n]; int used = 0, hand = 0; long hits = 0;
        for (int k : keys) {
            Integer p = pos.get(k);
            if (p != null) { ref[p] = true; hits++; continue; }
            if (used < n) { slotKey[used] = k; ref[used] = false; pos.put(k, used); used++; continue; }
            while (ref[hand]) { ref[hand] = false; hand = (hand + 1) % n; }
            pos.remove(slotKey[hand]); slotKey[hand] = k; ref[hand] = false; pos.put(k, hand); hand = (hand + 1) % n;
        }
        return (double) hits / keys.length;
    }
    public static void main(String[] a) throws Exception {
        for (String spec : a) {
            String[] p = spec.split("@");
            Path f = Files.exists(Paths.get("/work/shared/traces/" + p[0] + ".trace.gz")) ? Paths.get("/work/shared/traces/" + p[0] + ".trace.gz") : Paths.get("/work/shared/traces/" + p[0] + ".trace.xz");
            Trace t = Trace.read(f);
            int n = Integer.parseInt(p[1]);
            LruPolicy lru = new LruPolicy(n);
            long h = 0; for (int k : t.keys()) if (lru.access(k)) h++;
            FerritePolicy fp = new FerritePolicy(n, 64, -1);
            long fh = 0; long sizeSum = 0; long samples = 0; int i = 0;
            for (int k : t.keys()) { if (fp.access(k)) fh++; if ((++i & 15) == 0 && i > t.keys().length / 4) { sizeSum += fp.size(); samples++; } }
            System.out.printf("%-12s lru %.2f clock %.2f ferrite %.2f  avgSize %.1f%n", spec, 100.0*h/t.keys().length, 100*clock(t.keys(), n), 100.0*fh/t.keys().length, (double)sizeSum/samples);
            fp.close();
        }
    }
}
