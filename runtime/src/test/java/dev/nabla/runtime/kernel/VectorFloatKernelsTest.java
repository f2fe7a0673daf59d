package dev.nabla.runtime.kernel;

import static dev.nabla.runtime.kernel.TestData.OFF;
import static dev.nabla.runtime.kernel.TestData.assertClose;
import static dev.nabla.runtime.kernel.TestData.floats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every SIMD kernel against the scalar oracle, at sizes that hit every vector and tile tail. */
class VectorFloatKernelsTest {
  static final int[] SIZES = {1, 2, 3, 5, 7, 8, 15, 16, 17, 31, 33, 47, 64, 65, 100};
  static final int[] ACTS = {Act.NONE, Act.SIGMOID, Act.TANH, Act.RELU, Act.LEAKY_RELU, Act.ELU,
      Act.SELU, Act.GELU, Act.SWISH, Act.SOFTMAX};
  static final ScalarFloatKernels SCALAR = new ScalarFloatKernels();

  static Stream<VectorFloatKernels> kernels() {
    List<VectorFloatKernels> ks = new ArrayList<>();
    int max = FloatVector.SPECIES_PREFERRED.vectorBitSize();
    for (int bits : new int[] {128, 256, 512}) {
      if (bits <= max) {
        VectorSpecies<Float> s = FloatVector.SPECIES_MAX.withShape(VectorShape.forBitSize(bits));
        ks.add(new VectorFloatKernels(s));
      }
    }
    return ks.stream();
  }

  static float param(int act) {
    return switch (act) {
      case Act.LEAKY_RELU -> 0.01f;
      case Act.ELU -> 1.0f;
      case Act.SOFTMAX -> 0.7f;
      default -> 0f;
    };
  }

  static double tol(int k) {
    return 2e-5 * (4 + k);
  }

  /** m, n, k over SIZES; k rotates so every depth tail meets every row and column tail. */
  @ParameterizedTest
  @MethodSource("kernels")
  void gemmsMatchScalarOverAllTails(VectorFloatKernels v) {
    int c = 0;
    for (int m : SIZES) {
      for (int n : SIZES) {
        int k = SIZES[c++ % SIZES.length];
        boolean flag = (c & 1) == 0;
        checkForward(v, m, n, k, flag, Act.NONE);
        checkBackwardInput(v, m, n, k, flag, Act.NONE);
        checkBackwardWeight(v, m, n, k, flag, !flag);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void gemmEpiloguesForEveryActivation(VectorFloatKernels v) {
    int[][] shapes = {{7, 33, 17}, {13, 5, 9}, {1, 47, 3}, {6, 64, 31}};
    for (int act : ACTS) {
      for (int[] s : shapes) {
        checkForward(v, s[0], s[1], s[2], true, act);
        checkForward(v, s[0], s[1], s[2], false, act);
        checkBackwardInput(v, s[0], s[1], s[2], true, act);
        checkBackwardInput(v, s[0], s[1], s[2], false, act);
      }
    }
  }

  /**
   * The blocked paths: depth above the k-block (KC = 256) with a remainder in each of the three
   * GEMMs' depth (n for backward-input, m for backward-weight), several column blocks, row and
   * column tiles with tails, the narrow path (n ≤ one vector), the matrix-vector path (m = 1,
   * serial and split over threads) and both parallel splits (by columns and by rows).
   */
  @ParameterizedTest
  @MethodSource("kernels")
  void blockedGemmsMatchScalar(VectorFloatKernels v) {
    int[][] shapes = {{13, 70, 600}, {600, 13, 70}, {70, 600, 13}, {300, 40, 270}, {7, 1100, 300},
        {240, 70, 300}, {20, 16, 300}, {9, 10, 513}, {33, 8, 5}, {1, 37, 300}, {1, 600, 785},
        {1, 16, 784}, {1, 5, 3}, {2, 64, 64}};
    for (int[] s : shapes) {
      checkForward(v, s[0], s[1], s[2], true, Act.GELU);
      checkForward(v, s[0], s[1], s[2], false, Act.NONE);
      checkBackwardInput(v, s[0], s[1], s[2], true, Act.TANH);
      checkBackwardInput(v, s[0], s[1], s[2], false, Act.NONE);
      checkBackwardWeight(v, s[0], s[1], s[2], true, true);
      checkBackwardWeight(v, s[0], s[1], s[2], false, false);
    }
  }

  /**
   * The unpacked paths: forward NT with n ≤ one vector and a long depth (4 × 4 dot-product tiles,
   * rows and columns short of a tile, depth tails) and backward-weight TN with a short depth
   * (outer-product tiles on x in place, a packed column tail, rows short of a tile, accumulation).
   */
  @ParameterizedTest
  @MethodSource("kernels")
  void unpackedSmallGemmsMatchScalar(VectorFloatKernels v) {
    int[][] shapes = {{32, 16, 784}, {31, 13, 790}, {5, 3, 100}, {33, 7, 64}, {1, 2, 70},
        {3, 4, 129}, {9, 1, 65}, {32, 10, 16}, {6, 16, 16}, {64, 5, 65}, {2, 17, 200},
        {7, 5, 97}};
    for (int[] s : shapes) {
      checkForward(v, s[0], s[1], s[2], true, Act.SIGMOID);
      checkForward(v, s[0], s[1], s[2], false, Act.NONE);
      checkForward(v, s[0], s[1], s[2], true, Act.SOFTMAX);
      checkBackwardWeight(v, s[0], s[1], s[2], true, true);
      checkBackwardWeight(v, s[0], s[1], s[2], false, false);
      checkBackwardWeight(v, s[0], s[2], s[1], true, false);
      checkBackwardWeight(v, s[0], s[2], s[1], false, true);
    }
    // Large enough to split over threads: dot tiles by rows, outer-product tiles by columns.
    checkForward(v, 300, 13, 784, true, Act.SIGMOID);
    checkBackwardWeight(v, 64, 512, 784, true, true);
    checkBackwardWeight(v, 48, 300, 333, false, false);
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void largeGemmsGoParallel(VectorFloatKernels v) {
    checkForward(v, 128, 512, 784, true, Act.RELU);
    checkBackwardInput(v, 128, 784, 512, true, Act.GELU);
    checkBackwardWeight(v, 128, 512, 784, true, true);
    checkForward(v, 3, 1000, 700, true, Act.SOFTMAX);
  }

  static void checkForward(FloatKernels v, int m, int n, int k, boolean withBias, int act) {
    long seed = 31L * m + 7L * n + k + act;
    float[] x = floats(m * k, seed);
    float[] w = floats(n * k, seed + 1);
    float[] b = withBias ? floats(n, seed + 2) : null;
    float[] ys = floats(m * n, 0);
    float[] zs = floats(m * n, 0);
    float[] yv = ys.clone();
    float[] zv = zs.clone();
    float p = param(act);
    SCALAR.denseForward(ys, OFF, zs, OFF, x, OFF, w, OFF, b, OFF, m, n, k, act, p);
    v.denseForward(yv, OFF, zv, OFF, x, OFF, w, OFF, b, OFF, m, n, k, act, p);
    String what = v.describe() + " forward m=" + m + " n=" + n + " k=" + k + " act=" + Act.name(act);
    assertClose(zs, zv, tol(k), what + " z");
    assertClose(ys, yv, tol(k), what + " y");
  }

  static void checkBackwardInput(FloatKernels v, int m, int n, int k, boolean acc, int act) {
    long seed = 17L * m + 5L * n + k + act;
    float[] dy = floats(m * n, seed);
    float[] w = floats(n * k, seed + 1);
    float[] saved = floats(m * k, seed + 2, -2f, 2f);
    if (act != Act.NONE && Act.derivativeFromOutput(act)) {
      SCALAR.activationForward(saved, OFF, saved, OFF, m, k, act, param(act));
    }
    float[] ds = floats(m * k, seed + 3);
    float[] dv = ds.clone();
    float p = param(act);
    SCALAR.denseBackwardInput(ds, OFF, dy, OFF, w, OFF, saved, OFF, m, n, k, acc, act, p);
    v.denseBackwardInput(dv, OFF, dy, OFF, w, OFF, saved, OFF, m, n, k, acc, act, p);
    assertClose(ds, dv, tol(n), v.describe() + " backwardInput m=" + m + " n=" + n + " k=" + k
        + " acc=" + acc + " act=" + Act.name(act));
  }

  static void checkBackwardWeight(FloatKernels v, int m, int n, int k, boolean acc, boolean withBias) {
    long seed = 11L * m + 3L * n + k;
    float[] dy = floats(m * n, seed);
    float[] x = floats(m * k, seed + 1);
    float[] dws = floats(n * k, seed + 2);
    float[] dbs = withBias ? floats(n, seed + 3) : null;
    float[] dwv = dws.clone();
    float[] dbv = withBias ? dbs.clone() : null;
    SCALAR.denseBackwardWeight(dws, OFF, dbs, OFF, dy, OFF, x, OFF, m, n, k, acc);
    v.denseBackwardWeight(dwv, OFF, dbv, OFF, dy, OFF, x, OFF, m, n, k, acc);
    String what = v.describe() + " backwardWeight m=" + m + " n=" + n + " k=" + k + " acc=" + acc;
    assertClose(dws, dwv, tol(m), what);
    if (withBias) assertClose(dbs, dbv, tol(m), what + " bias");
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void activationsMatchScalar(VectorFloatKernels v) {
    for (int act : ACTS) {
      float p = param(act);
      for (int n : SIZES) {
        int m = 3;
        float[] x = floats(m * n, n + act, -6f, 6f);
        float[] ys = floats(m * n, 0);
        float[] yv = ys.clone();
        SCALAR.activationForward(ys, OFF, x, OFF, m, n, act, p);
        v.activationForward(yv, OFF, x, OFF, m, n, act, p);
        String what = v.describe() + " " + Act.name(act) + " n=" + n;
        assertClose(ys, yv, 2e-6, what + " forward");
        float[] inPlace = x.clone();
        v.activationForward(inPlace, OFF, inPlace, OFF, m, n, act, p);
        assertClose(ys, inPlace, 2e-6, what + " forward in place");

        float[] saved = Act.derivativeFromOutput(act) ? ys : x;
        float[] dy = floats(m * n, n * 7L + act);
        for (boolean acc : new boolean[] {false, true}) {
          float[] ds = floats(m * n, 99);
          float[] dv = ds.clone();
          SCALAR.activationBackward(ds, OFF, dy, OFF, saved, OFF, m, n, act, p, acc);
          v.activationBackward(dv, OFF, dy, OFF, saved, OFF, m, n, act, p, acc);
          assertClose(ds, dv, 2e-6, what + " backward acc=" + acc);
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void elementwiseMatchScalar(VectorFloatKernels v) {
    for (int len : SIZES) {
      float[] a = floats(len, len);
      float[] b = floats(len, len + 1);
      float[] ys = floats(len, 5);
      float[] yv = ys.clone();
      SCALAR.add(ys, OFF, a, OFF, b, OFF, len);
      v.add(yv, OFF, a, OFF, b, OFF, len);
      assertArrayEquals(ys, yv, "add " + len);
      SCALAR.accumulate(ys, OFF, a, OFF, len);
      v.accumulate(yv, OFF, a, OFF, len);
      assertArrayEquals(ys, yv, "accumulate " + len);
      for (boolean acc : new boolean[] {false, true}) {
        SCALAR.multiply(ys, OFF, a, OFF, b, OFF, len, acc);
        v.multiply(yv, OFF, a, OFF, b, OFF, len, acc);
        assertArrayEquals(ys, yv, "multiply " + len);
        int rows = 3;
        float[] src = floats(rows * (len + 4), len + 9);
        float[] ds = floats(rows * (len + 2), len + 10);
        float[] dv = ds.clone();
        SCALAR.copyColumns(ds, OFF + 1, len + 2, src, OFF + 2, len + 4, rows, len, acc);
        v.copyColumns(dv, OFF + 1, len + 2, src, OFF + 2, len + 4, rows, len, acc);
        assertArrayEquals(ds, dv, "copyColumns " + len);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void lossesMatchScalar(VectorFloatKernels v) {
    for (int n : SIZES) {
      int m = 5;
      float[] logits = floats(m * n, n, -4f, 4f);
      int[] labels = new int[m + 2];
      for (int r = 0; r < m; r++) labels[2 + r] = (r * 7 + n) % n;
      float[] ps = floats(m * n, 1);
      float[] pv = ps.clone();
      float[] ds = floats(m * n, 2);
      float[] dv = ds.clone();
      float ls = SCALAR.softmaxCrossEntropy(ps, OFF, ds, OFF, logits, OFF, labels, 2, m, n);
      float lv = v.softmaxCrossEntropy(pv, OFF, dv, OFF, logits, OFF, labels, 2, m, n);
      assertEquals(ls, lv, 1e-5 * (1 + Math.abs(ls)), "loss n=" + n);
      assertClose(ps, pv, 1e-6, "probs n=" + n);
      assertClose(ds, dv, 1e-6, "dlogits n=" + n);

      float[] target = floats(m * n, n + 3);
      float[] ms = floats(m * n, 4);
      float[] mv = ms.clone();
      float es = SCALAR.meanSquaredError(ms, OFF, logits, OFF, target, OFF, m, n);
      float ev = v.meanSquaredError(mv, OFF, logits, OFF, target, OFF, m, n);
      assertEquals(es, ev, 1e-5 * (1 + es), "mse n=" + n);
      assertClose(ms, mv, 1e-6, "dpred n=" + n);

      float[] ss = floats(m * n, 5);
      float[] sv = ss.clone();
      float smoothS = SCALAR.softmaxCrossEntropy(null, 0, ss, OFF, logits, OFF, labels, 2, m, n, 0.15f);
      float smoothV = v.softmaxCrossEntropy(null, 0, sv, OFF, logits, OFF, labels, 2, m, n, 0.15f);
      assertEquals(smoothS, smoothV, 1e-5 * (1 + Math.abs(smoothS)), "smoothed loss n=" + n);
      assertClose(ss, sv, 1e-6, "smoothed dlogits n=" + n);

      float[] probabilities = floats(m * n, n + 5, 0f, 1f);
      float[] bs = floats(m * n, 6);
      float[] bv = bs.clone();
      float bceS = SCALAR.binaryCrossEntropy(bs, OFF, logits, OFF, probabilities, OFF, m, n);
      float bceV = v.binaryCrossEntropy(bv, OFF, logits, OFF, probabilities, OFF, m, n);
      assertEquals(bceS, bceV, 1e-5 * (1 + bceS), "bce n=" + n);
      assertClose(bs, bv, 1e-6, "bce dlogits n=" + n);
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void weightDecayMatchesScalar(VectorFloatKernels v) {
    for (int len : SIZES) {
      float[] p = floats(len, len);
      float[] gs = floats(len, len + 1);
      float[] gv = gs.clone();
      SCALAR.decayGradients(gs, p, OFF, len, 0.7f, 0.01f);
      v.decayGradients(gv, p, OFF, len, 0.7f, 0.01f);
      assertClose(gs, gv, 1e-6, "decayGradients " + len);
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void sgdMatchesScalar(VectorFloatKernels v) {
    for (int len : SIZES) {
      for (int variant = 0; variant < 3; variant++) {
        float momentum = variant == 0 ? 0f : 0.9f;
        boolean nesterov = variant == 2;
        float[] ps = floats(len, len);
        float[] vs = floats(len, len + 1);
        float[] g = floats(len, len + 2);
        float[] pv = ps.clone();
        float[] vv = vs.clone();
        SCALAR.sgdUpdate(ps, g, vs, OFF, len, 0.05f, momentum, nesterov, 1f);
        v.sgdUpdate(pv, g, vv, OFF, len, 0.05f, momentum, nesterov, 1f);
        assertClose(ps, pv, 1e-6, "sgd params " + len + " variant " + variant);
        assertClose(vs, vv, 1e-6, "sgd velocity " + len + " variant " + variant);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void adamMatchesScalar(VectorFloatKernels v) {
    for (int len : SIZES) {
      float[] ps = floats(len, len);
      float[] ms = floats(len, len + 1);
      float[] vs = floats(len, len + 2);
      for (int i = 0; i < vs.length; i++) vs[i] = Math.abs(vs[i]);
      float[] g = floats(len, len + 3);
      float[] pv = ps.clone();
      float[] mv = ms.clone();
      float[] vv = vs.clone();
      for (long step = 1; step <= 3; step++) {
        SCALAR.adamUpdate(ps, g, ms, vs, OFF, len, 0.01f, 0.9f, 0.999f, 1e-8f, step, 1f);
        v.adamUpdate(pv, g, mv, vv, OFF, len, 0.01f, 0.9f, 0.999f, 1e-8f, step, 1f);
      }
      assertClose(ps, pv, 1e-6, "adam params " + len);
      assertClose(ms, mv, 1e-6, "adam m " + len);
      assertClose(vs, vv, 1e-6, "adam v " + len);
    }
  }

  /** One optimiser rule, applied three times to the same state by the scalar and the vector kernels. */
  private interface Rule {
    void step(FloatKernels k, float[] p, float[] g, float[] s1, float[] s2, float[] s3, long t);
  }

  static Stream<org.junit.jupiter.params.provider.Arguments> kernelsAndRules() {
    java.util.Map<String, Rule> rules = new java.util.LinkedHashMap<>();
    rules.put("adamw", (k, p, g, a, b, c, t) -> k.adamwUpdate(p, g, a, b, OFF, p.length - OFF - 5, 0.01f, 0.9f, 0.99f,
        1e-8f, 0.05f, t, 0.7f));
    rules.put("adagrad", (k, p, g, a, b, c, t) -> k.adagradUpdate(p, g, b, OFF, p.length - OFF - 5, 0.01f, 1e-10f, 0.7f));
    rules.put("rmsprop", (k, p, g, a, b, c, t) -> k.rmspropUpdate(p, g, b, null, null, OFF, p.length - OFF - 5, 0.01f,
        0.9f, 1e-8f, 0f, 0.7f));
    rules.put("rmsprop momentum", (k, p, g, a, b, c, t) -> k.rmspropUpdate(p, g, b, null, c, OFF, p.length - OFF - 5,
        0.01f, 0.9f, 1e-8f, 0.8f, 0.7f));
    rules.put("rmsprop centred", (k, p, g, a, b, c, t) -> k.rmspropUpdate(p, g, b, a, null, OFF, p.length - OFF - 5,
        0.01f, 0.9f, 1e-8f, 0f, 0.7f));
    rules.put("rmsprop centred momentum", (k, p, g, a, b, c, t) -> k.rmspropUpdate(p, g, b, a, c, OFF,
        p.length - OFF - 5, 0.01f, 0.9f, 1e-8f, 0.8f, 0.7f));
    rules.put("adadelta", (k, p, g, a, b, c, t) -> k.adadeltaUpdate(p, g, b, c, OFF, p.length - OFF - 5, 1f, 0.9f,
        1e-6f, 0.7f));
    rules.put("adamax", (k, p, g, a, b, c, t) -> k.adamaxUpdate(p, g, a, b, OFF, p.length - OFF - 5, 0.01f, 0.9f,
        0.99f, 1e-8f, t, 0.7f));
    rules.put("nadam", (k, p, g, a, b, c, t) -> k.nadamUpdate(p, g, a, b, OFF, p.length - OFF - 5, 0.01f, 0.9f, 0.99f,
        1e-8f, 0.004f, t, Math.pow(0.5, t), 0.7f));
    List<org.junit.jupiter.params.provider.Arguments> all = new ArrayList<>();
    kernels().forEach(v -> rules.forEach((name, r) -> all.add(org.junit.jupiter.params.provider.Arguments.of(v, name, r))));
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("kernelsAndRules")
  void optimiserMatchesScalar(VectorFloatKernels v, String name, Rule rule) {
    for (int len : SIZES) {
      float[] ps = floats(len, len);
      float[] g = floats(len, len + 3);
      // the centred variance s − ḡ² stays positive: s in [0.5, 1), ḡ in [−0.1, 0.1)
      float[] as = floats(len, len + 1, -0.1f, 0.1f);
      float[] bs = floats(len, len + 2, 0.5f, 1f);
      float[] cs = floats(len, len + 4, 0f, 0.5f);
      float[] pv = ps.clone();
      float[] av = as.clone();
      float[] bv = bs.clone();
      float[] cv = cs.clone();
      for (long t = 1; t <= 3; t++) {
        rule.step(SCALAR, ps, g, as, bs, cs, t);
        rule.step(v, pv, g, av, bv, cv, t);
      }
      assertClose(ps, pv, 1e-6, name + " params " + len);
      assertClose(as, av, 1e-6, name + " state 1 " + len);
      assertClose(bs, bv, 1e-6, name + " state 2 " + len);
      assertClose(cs, cv, 1e-6, name + " state 3 " + len);
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void gradNormMatchesScalar(VectorFloatKernels v) {
    for (int len : new int[] {1, 3, 7, 16, 17, 33, 100, 5000}) {
      float[] g = floats(len, len);
      assertEquals(SCALAR.gradNorm(g, OFF, len), v.gradNorm(g, OFF, len), 1e-6 * SCALAR.gradNorm(g, OFF, len), "len " + len);
    }
  }
}
