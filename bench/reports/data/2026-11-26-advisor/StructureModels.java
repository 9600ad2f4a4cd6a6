import dev.ferrite.bench.hitratio.*;
import java.nio.file.*; import java.util.*;
/**
 * Entry-granular models of eviction structures, to see what a structural change could gain before
 * building it (session 5). OneLog: one FIFO with CLOCK and a frequency gate (the engine's rule: keep
 * if read in its lap or frequency >= kf, paid from a 95% keep budget). TwoLogs: a 10% probation FIFO
 * in front of it (S3-FIFO-like). OneLogAdmit: OneLog with TinyLFU admission at insert (a new key
 * whose frequency is below the head's is not stored). Exact frequency counts, halved periodically.
 * Run: java $(java -cp bench/target/benchmarks.jar dev.ferrite.bench.JvmFlagsMain) -Xmx4g \
 *        -cp bench/target/benchmarks.jar bench/reports/data/2026-11-26-advisor/StructureModels.java
 * Averages over the 48 rows, best of kf in {16, 2} per row: OneLog 54.66%, TwoLogs 50.91%,
 * OneLogAdmit 53.04% (the engine itself: 54.93% with the advisor).
 */
public class StructureModels {
  static final class Freq { // exact counts with periodic halving, like the sketch's aging
    final HashMap<Integer,Integer> m=new HashMap<>(); long adds; final long period;
    Freq(int size){ period=10L*size; }
    void inc(int k){ m.merge(k,1,(a,b)->Math.min(15,a+b)); if(++adds>=period){ adds/=2; m.replaceAll((x,v)->v/2); m.values().removeIf(v->v==0);} }
    int get(int k){ return m.getOrDefault(k,0); }
  }
  interface Policy { boolean access(int k); }
  // one FIFO; kept when referenced or freq>=kf; budget: 95% per popped entry, cap 2% of size
  static final class OneLog implements Policy {
    final int cap, kf; final ArrayDeque<int[]> q=new ArrayDeque<>(); final HashMap<Integer,int[]> m=new HashMap<>(); final Freq f; double budget;
    OneLog(int cap,int kf,Freq f){this.cap=cap;this.kf=kf;this.f=f;}
    public boolean access(int k){ int[] e=m.get(k); if(e!=null){e[1]=1;return true;}
      while(m.size()>=cap){ int[] h=q.poll(); budget=Math.min(cap*0.03,budget+0.95);
        boolean keep=(h[1]==1||f.get(h[0])>=kf)&&budget>=1; if(keep){budget-=1;h[1]=0;q.add(h);} else m.remove(h[0]); }
      int[] n={k,0}; q.add(n); m.put(k,n); return false; }
  }
  static final class OneLogAdmit implements Policy {
    final int cap, kf; final ArrayDeque<int[]> q=new ArrayDeque<>(); final HashMap<Integer,int[]> m=new HashMap<>(); final Freq f; double budget;
    OneLogAdmit(int cap,int kf,Freq f){this.cap=cap;this.kf=kf;this.f=f;}
    public boolean access(int k){ int[] e=m.get(k); if(e!=null){e[1]=1;return true;}
      if(m.size()>=cap){ int[] h=q.peek(); if(h!=null && h[1]==0 && f.get(h[0])>f.get(k)) return false; }
      while(m.size()>=cap){ int[] h=q.poll(); budget=Math.min(cap*0.03,budget+0.95);
        boolean keep=(h[1]==1||f.get(h[0])>=kf)&&budget>=1; if(keep){budget-=1;h[1]=0;q.add(h);} else m.remove(h[0]); }
      int[] n={k,0}; q.add(n); m.put(k,n); return false; }
  }
  // small FIFO (10%): on leaving, referenced or freq>=kf -> main; main as OneLog's rule
  static final class TwoLogs implements Policy {
    final int cap, small, kf; final ArrayDeque<int[]> s=new ArrayDeque<>(), q=new ArrayDeque<>(); final HashMap<Integer,int[]> m=new HashMap<>(); final Freq f; double budget; int inMain;
    TwoLogs(int cap,int kf,Freq f,double smallShare){this.cap=cap;this.kf=kf;this.f=f;this.small=Math.max(1,(int)(cap*smallShare));}
    public boolean access(int k){ int[] e=m.get(k); if(e!=null){e[1]=1;return true;}
      while(m.size()>=cap){
        if(s.size()>=small || inMain==0){ int[] h=s.poll(); if(h==null){ evictMain(); continue; }
          if(h[1]==1||f.get(h[0])>=kf){ h[1]=0; q.add(h); inMain++; while(inMain>cap-small) evictMain(); } else m.remove(h[0]); }
        else evictMain(); }
      int[] n={k,0}; s.add(n); m.put(k,n); return false; }
    void evictMain(){ while(true){ int[] h=q.poll(); if(h==null) return; budget=Math.min(cap*0.03,budget+0.95);
        boolean keep=(h[1]==1||f.get(h[0])>=kf)&&budget>=1; if(keep){budget-=1;h[1]=0;q.add(h);} else { m.remove(h[0]); inMain--; return; } } }
  }
  public static void main(String[] a) throws Exception {
    List<Path> files=new ArrayList<>(); try(var st=Files.list(Path.of("/work/shared/traces"))){ st.filter(Trace::isTrace).sorted().forEach(files::add); }
    double[] sum=new double[9]; int rows=0;
    System.out.println("trace size | one(16) one(2) best | two(16) two(2) best | admit(16) admit(2) best");
    for(Path p:files){ Trace t=Trace.read(p); int uniq=(int)Arrays.stream(t.keys()).distinct().count();
      for(int size:TraceSizes.sizesFor(t.name(),uniq)){
        double[] r=new double[6]; int i=0;
        for(int kind=0;kind<3;kind++) for(int kf:new int[]{16,2}){ Freq f=new Freq(size);
          Policy pol= kind==0? new OneLog(size,kf,f): kind==1? new TwoLogs(size,kf,f,0.1): new OneLogAdmit(size,kf,f);
          long hits=0; for(int k:t.keys()){ f.inc(k); if(pol.access(k)) hits++; } r[i++]=(double)hits/t.keys().length; }
        System.out.printf("%-10s %6d",t.name(),size);
        for(int kind=0;kind<3;kind++){ double b=Math.max(r[2*kind],r[2*kind+1]); System.out.printf(" | %6.2f %6.2f %6.2f",100*r[2*kind],100*r[2*kind+1],100*b);
          sum[3*kind]+=r[2*kind]; sum[3*kind+1]+=r[2*kind+1]; sum[3*kind+2]+=b; }
        System.out.println(); rows++; } }
    System.out.printf("average   ");
    for(int j=0;j<9;j++) System.out.printf("%s%6.2f", j%3==0?" | ":" ", 100*sum[j]/rows);
    System.out.println();
  }
}
