package dev.nabla.runtime.parallel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed pool of daemon workers and an allocation-free parallel-for. Callers pass a reusable
 * {@link Task} (mutable fields, no per-call lambda); parts are handed out from a counter so uneven
 * parts balance. The calling thread works too. One job runs at a time: a caller that finds the pool
 * busy (another thread's job, or a nested call from inside a task) runs its parts itself, so kernels
 * stay safe to call from several threads at once.
 *
 * <p>Thread count: system property {@code nabla.threads}, default the available processors.
 */
public final class Parallel {

  /** A unit of parallel work; {@link #run(int)} is called once for every part in [0, parts). */
  public interface Task {
    void run(int part);
  }

  private static final int THREADS = threadCount();
  /** Spin this long before parking: kernels of a training step follow each other closely. */
  private static final int SPINS = 1 << 15;

  private static final AtomicBoolean busy = new AtomicBoolean();
  /** generation in the high 32 bits, next unclaimed part in the low 32: a stale worker cannot claim. */
  private static final AtomicLong ticket = new AtomicLong();
  private static final AtomicInteger done = new AtomicInteger();
  private static volatile int generation;
  private static volatile Task task;
  private static volatile int parts;
  private static volatile Throwable failure;
  private static final Worker[] workers = startWorkers();

  private Parallel() {}

  /** Threads that run a job, including the caller. */
  public static int threads() {
    return THREADS;
  }

  /** Runs task.run(p) for every p in [0, parts) on the pool and the calling thread; returns when all are done. */
  public static void run(Task t, int n) {
    if (n <= 0) return;
    if (n == 1 || workers.length == 0 || !busy.compareAndSet(false, true)) {
      for (int p = 0; p < n; p++) t.run(p);
      return;
    }
    try {
      task = t;
      parts = n;
      failure = null;
      done.set(0);
      int gen = generation + 1;
      ticket.set((long) gen << 32);
      generation = gen;
      for (Worker w : workers) {
        if (w.parked) LockSupport.unpark(w);
      }
      work(gen, t, n);
      int spins = 0;
      while (done.get() < n) {
        if (++spins < SPINS) Thread.onSpinWait();
        else Thread.yield();
      }
      task = null;
      Throwable f = failure;
      if (f != null) {
        failure = null;
        if (f instanceof RuntimeException re) throw re;
        if (f instanceof Error e) throw e;
        throw new IllegalStateException(f);
      }
    } finally {
      busy.set(false);
    }
  }

  private static void work(int gen, Task t, int n) {
    while (true) {
      long cur = ticket.get();
      int part = (int) cur;
      if ((int) (cur >>> 32) != gen || part >= n) return;
      if (!ticket.compareAndSet(cur, cur + 1)) continue;
      try {
        t.run(part);
      } catch (Throwable e) {
        failure = e;
      }
      done.incrementAndGet();
    }
  }

  private static final class Worker extends Thread {
    volatile boolean parked;

    Worker(int i) {
      super("nabla-worker-" + i);
      setDaemon(true);
    }

    @Override
    public void run() {
      int seen = generation;
      while (true) {
        int spins = 0;
        int gen;
        while ((gen = generation) == seen) {
          if (++spins < SPINS) {
            Thread.onSpinWait();
          } else {
            parked = true;
            if (generation == seen) LockSupport.park(this);
            parked = false;
          }
        }
        seen = gen;
        Task t = task;
        int n = parts;
        if (t != null) work(gen, t, n);
      }
    }
  }

  private static Worker[] startWorkers() {
    Worker[] ws = new Worker[THREADS - 1];
    for (int i = 0; i < ws.length; i++) {
      ws[i] = new Worker(i + 1);
      ws[i].start();
    }
    return ws;
  }

  private static int threadCount() {
    int def = Runtime.getRuntime().availableProcessors();
    String p = System.getProperty("nabla.threads");
    if (p == null || p.isBlank()) return Math.max(1, def);
    try {
      return Math.max(1, Integer.parseInt(p.trim()));
    } catch (NumberFormatException e) {
      return Math.max(1, def);
    }
  }
}
