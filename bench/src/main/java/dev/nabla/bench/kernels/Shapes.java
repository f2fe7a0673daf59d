package dev.nabla.bench.kernels;

import dev.nabla.runtime.kernel.Act;
import dev.nabla.runtime.kernel.FloatKernels;
import dev.nabla.runtime.kernel.Kernels;
import java.util.List;

/**
 * The GEMM shapes of the kernel benchmarks and one call of each. (m, n, k) are always the
 * {@link FloatKernels} arguments: NT = denseForward y[m,n] = x[m,k]·w[n,k]ᵀ, NN = denseBackwardInput
 * dx[m,k] = dy[m,n]·w[n,k], TN = denseBackwardWeight dw[n,k] = dy[m,n]ᵀ·x[m,k].
 */
public final class Shapes {
  public record Shape(String label, String kind, int m, int n, int k) {
    public double flops() {
      return 2.0 * m * n * k;
    }

    /** Bytes of the weight matrix: what a matrix-vector product (m = 1) has to stream. */
    public long weightBytes() {
      return 4L * n * k;
    }

    public boolean matvec() {
      return m == 1;
    }

    /** "NT 128x512x784" style key, also the JMH parameter value. */
    public String key() {
      return kind + ":" + m + "x" + n + "x" + k;
    }
  }

  public static final List<Shape> ALL = List.of(
      new Shape("square 256", "NT", 256, 256, 256),
      new Shape("square 256", "NN", 256, 256, 256),
      new Shape("square 256", "TN", 256, 256, 256),
      new Shape("square 512", "NT", 512, 512, 512),
      new Shape("square 512", "NN", 512, 512, 512),
      new Shape("square 512", "TN", 512, 512, 512),
      new Shape("square 1024", "NT", 1024, 1024, 1024),
      new Shape("square 1024", "NN", 1024, 1024, 1024),
      new Shape("square 1024", "TN", 1024, 1024, 1024),
      new Shape("mlp_small fwd L1", "NT", 32, 16, 784),
      new Shape("mlp_small fwd L2", "NT", 32, 16, 16),
      new Shape("mlp_small fwd L3", "NT", 32, 10, 16),
      new Shape("mlp_small bwd-in L2", "NN", 32, 16, 16),
      new Shape("mlp_small bwd-in L3", "NN", 32, 10, 16),
      new Shape("mlp_small bwd-w L1", "TN", 32, 16, 784),
      new Shape("mlp_small bwd-w L2", "TN", 32, 16, 16),
      new Shape("mlp_small bwd-w L3", "TN", 32, 10, 16),
      new Shape("mlp_wide fwd L1", "NT", 128, 512, 784),
      new Shape("mlp_wide fwd L2", "NT", 128, 512, 512),
      new Shape("mlp_wide fwd L3", "NT", 128, 10, 512),
      new Shape("mlp_wide bwd-in L2", "NN", 128, 512, 512),
      new Shape("mlp_wide bwd-in L3", "NN", 128, 10, 512),
      new Shape("mlp_wide bwd-w L1", "TN", 128, 512, 784),
      new Shape("mlp_wide bwd-w L2", "TN", 128, 512, 512),
      new Shape("mlp_wide bwd-w L3", "TN", 128, 10, 512),
      new Shape("mlp_small 1-ex L1", "NT", 1, 16, 784),
      new Shape("mlp_small 1-ex L2", "NT", 1, 16, 16),
      new Shape("mlp_small 1-ex L3", "NT", 1, 10, 16),
      new Shape("mlp_wide 1-ex L1", "NT", 1, 512, 784),
      new Shape("mlp_wide 1-ex L2", "NT", 1, 512, 512),
      new Shape("mlp_wide 1-ex L3", "NT", 1, 10, 512),
      // gpt: batch 32 of 64 positions (m = 2048), width 128, MLP 512, vocab 65; one sequence is m = 64
      new Shape("gpt fwd qkv", "NT", 2048, 384, 128),
      new Shape("gpt fwd out_proj", "NT", 2048, 128, 128),
      new Shape("gpt fwd up", "NT", 2048, 512, 128),
      new Shape("gpt fwd down", "NT", 2048, 128, 512),
      new Shape("gpt fwd head", "NT", 2048, 65, 128),
      new Shape("gpt bwd-in qkv", "NN", 2048, 384, 128),
      new Shape("gpt bwd-in out_proj", "NN", 2048, 128, 128),
      new Shape("gpt bwd-in up", "NN", 2048, 512, 128),
      new Shape("gpt bwd-in down", "NN", 2048, 128, 512),
      new Shape("gpt bwd-in head", "NN", 2048, 65, 128),
      new Shape("gpt bwd-w qkv", "TN", 2048, 384, 128),
      new Shape("gpt bwd-w out_proj", "TN", 2048, 128, 128),
      new Shape("gpt bwd-w up", "TN", 2048, 512, 128),
      new Shape("gpt bwd-w down", "TN", 2048, 128, 512),
      new Shape("gpt bwd-w head", "TN", 2048, 65, 128),
      new Shape("gpt 1-seq qkv", "NT", 64, 384, 128),
      new Shape("gpt 1-seq out_proj", "NT", 64, 128, 128),
      new Shape("gpt 1-seq up", "NT", 64, 512, 128),
      new Shape("gpt 1-seq down", "NT", 64, 128, 512),
      new Shape("gpt 1-seq head", "NT", 64, 65, 128));

  public static Shape byKey(String key) {
    for (Shape s : ALL) {
      if (s.key().equals(key)) return s;
    }
    String[] p = key.split("[:x]");
    return new Shape(key, p[0], Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3]));
  }

  /** Operands of one shape, allocated once; {@link #call()} runs its kernel. */
  public static final class Call {
    static final FloatKernels K = Kernels.F32;
    final Shape s;
    final float[] x;
    final float[] w;
    final float[] bias;
    final float[] y;

    public Call(Shape s) {
      this.s = s;
      int m = s.m();
      int n = s.n();
      int k = s.k();
      x = fill(m * (long) Math.max(n, k));
      w = fill((long) n * k);
      bias = fill(n);
      y = fill(m * (long) Math.max(n, k));
    }

    private static float[] fill(long len) {
      float[] a = new float[(int) len];
      for (int i = 0; i < a.length; i++) a[i] = ((i * 31) % 17 - 8) * 0.01f;
      return a;
    }

    public void call() {
      int m = s.m();
      int n = s.n();
      int k = s.k();
      switch (s.kind()) {
        case "NT" -> K.denseForward(y, 0, null, 0, x, 0, w, 0, bias, 0, m, n, k, Act.NONE, 0f);
        case "NN" -> K.denseBackwardInput(y, 0, x, 0, w, 0, null, 0, m, n, k, false, Act.NONE, 0f);
        case "TN" -> K.denseBackwardWeight(w, 0, null, 0, x, 0, y, 0, m, n, k, false);
        default -> throw new IllegalArgumentException(s.kind());
      }
    }
  }

  private Shapes() {}
}
