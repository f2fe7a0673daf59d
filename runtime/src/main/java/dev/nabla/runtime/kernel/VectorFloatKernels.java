package dev.nabla.runtime.kernel;

import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.EXP;
import static jdk.incubator.vector.VectorOperators.MAX;

import dev.nabla.runtime.parallel.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD float kernels (jdk.incubator.vector). Only this class and its package-private helpers
 * ({@link VectorGemm}, {@link VectorMath}, {@link VectorScratch}) touch the incubator module; {@link
 * Kernels} loads it reflectively so everything else runs on a JVM without --add-modules. Loops follow
 * one pattern: a vector body up to {@code loopBound}, then a scalar tail.
 */
public final class VectorFloatKernels implements FloatKernels {
  private final int lanes;
  private final VectorMath math;
  private final ThreadLocal<VectorGemm> gemms;

  public VectorFloatKernels() {
    this(FloatVector.SPECIES_PREFERRED);
  }

  public VectorFloatKernels(VectorSpecies<Float> species) {
    this.lanes = species.length();
    this.math = VectorMath.of(species);
    this.gemms = ThreadLocal.withInitial(() -> new VectorGemm(math));
  }

  @Override
  public String describe() {
    return "vector (" + lanes + " lanes, " + Parallel.threads() + " threads)";
  }

  @Override
  public void denseForward(float[] y, int yOff, float[] z, int zOff,
                           float[] x, int xOff, float[] w, int wOff, float[] bias, int biasOff,
                           int m, int n, int k, int act, float actParam) {
    gemms.get().forward(y, yOff, z, zOff, x, xOff, w, wOff, bias, biasOff, m, n, k, act, actParam);
    if (act == Act.SOFTMAX) {
      for (int r = 0; r < m; r++) softmaxRow(y, yOff + r * n, y, yOff + r * n, n, actParam);
    }
  }

  @Override
  public void denseBackwardInput(float[] dx, int dxOff, float[] dy, int dyOff, float[] w, int wOff,
                                 float[] saved, int savedOff,
                                 int m, int n, int k, boolean accumulate, int act, float actParam) {
    gemms.get().backwardInput(dx, dxOff, dy, dyOff, w, wOff, saved, savedOff, m, n, k, accumulate, act, actParam);
    if (act == Act.SOFTMAX) {
      for (int r = 0; r < m; r++) {
        softmaxBackwardRow(dx, dxOff + r * k, dx, dxOff + r * k, saved, savedOff + r * k, k, actParam, false);
      }
    }
  }

  @Override
  public void denseBackwardWeight(float[] dw, int dwOff, float[] dbias, int dbiasOff,
                                  float[] dy, int dyOff, float[] x, int xOff,
                                  int m, int n, int k, boolean accumulate) {
    gemms.get().backwardWeight(dw, dwOff, dy, dyOff, x, xOff, m, n, k, accumulate);
    if (dbias == null) return;
    if (!accumulate) java.util.Arrays.fill(dbias, dbiasOff, dbiasOff + n, 0f);
    for (int i = 0; i < m; i++) accumulate(dbias, dbiasOff, dy, dyOff + i * n, n);
  }

  @Override
  public void activationForward(float[] y, int yOff, float[] x, int xOff, int m, int n, int act, float actParam) {
    if (act == Act.SOFTMAX) {
      for (int r = 0; r < m; r++) softmaxRow(y, yOff + r * n, x, xOff + r * n, n, actParam);
      return;
    }
    int len = m * n;
    if (act == Act.NONE) {
      if (y != x || yOff != xOff) System.arraycopy(x, xOff, y, yOff, len);
      return;
    }
    math.activate(x, xOff, y, yOff, len, act, actParam);
  }

  @Override
  public void activationBackward(float[] dx, int dxOff, float[] dy, int dyOff, float[] saved, int savedOff,
                                 int m, int n, int act, float actParam, boolean accumulate) {
    if (act == Act.SOFTMAX) {
      for (int r = 0; r < m; r++) {
        softmaxBackwardRow(dx, dxOff + r * n, dy, dyOff + r * n, saved, savedOff + r * n, n, actParam, accumulate);
      }
      return;
    }
    math.backward(dy, dyOff, saved, savedOff, dx, dxOff, m * n, act, actParam, accumulate);
  }

  /** y = softmax(x / t) over one row; y may alias x. */
  private void softmaxRow(float[] y, int yo, float[] x, int xo, int n, float t) {
    float max = max(x, xo, n);
    float invT = 1f / t;
    FloatVector acc = FloatVector.zero(math.sp());
    int j = 0;
    for (int upper = math.sp().loopBound(n); j < upper; j += lanes) {
      FloatVector e = FloatVector.fromArray(math.sp(), x, xo + j).sub(max).mul(invT).lanewise(EXP);
      e.intoArray(y, yo + j);
      acc = acc.add(e);
    }
    float sum = acc.reduceLanes(ADD);
    for (; j < n; j++) {
      float e = (float) Math.exp((x[xo + j] - max) * invT);
      y[yo + j] = e;
      sum += e;
    }
    scale(y, yo, n, 1f / sum);
  }

  /** dx (+)= (dy − Σ dy·s) ⊙ s / t over one row; dx may alias dy. */
  private void softmaxBackwardRow(float[] dx, int dxo, float[] dy, int dyo, float[] s, int so, int n,
                                  float t, boolean accumulate) {
    float dot = dot(dy, dyo, s, so, n);
    float invT = 1f / t;
    int j = 0;
    VectorMask<Float> acc = math.sp().maskAll(accumulate);
    for (int upper = math.sp().loopBound(n); j < upper; j += lanes) {
      FloatVector.fromArray(math.sp(), dy, dyo + j).sub(dot).mul(FloatVector.fromArray(math.sp(), s, so + j))
          .mul(invT).add(FloatVector.fromArray(math.sp(), dx, dxo + j), acc).intoArray(dx, dxo + j);
    }
    for (; j < n; j++) {
      float v = (dy[dyo + j] - dot) * s[so + j] * invT;
      dx[dxo + j] = accumulate ? dx[dxo + j] + v : v;
    }
  }

  private float max(float[] x, int xo, int n) {
    float max = Float.NEGATIVE_INFINITY;
    int j = 0;
    int upper = math.sp().loopBound(n);
    if (upper > 0) {
      FloatVector acc = FloatVector.broadcast(math.sp(), Float.NEGATIVE_INFINITY);
      for (; j < upper; j += lanes) acc = acc.max(FloatVector.fromArray(math.sp(), x, xo + j));
      max = acc.reduceLanes(MAX);
    }
    for (; j < n; j++) max = Math.max(max, x[xo + j]);
    return max;
  }

  private float dot(float[] a, int ao, float[] b, int bo, int n) {
    FloatVector acc0 = FloatVector.zero(math.sp());
    FloatVector acc1 = FloatVector.zero(math.sp());
    int j = 0;
    for (int upper = math.sp().loopBound(n) - lanes; j < upper; j += 2 * lanes) {
      acc0 = FloatVector.fromArray(math.sp(), a, ao + j).fma(FloatVector.fromArray(math.sp(), b, bo + j), acc0);
      acc1 = FloatVector.fromArray(math.sp(), a, ao + j + lanes).fma(FloatVector.fromArray(math.sp(), b, bo + j + lanes), acc1);
    }
    for (int upper = math.sp().loopBound(n); j < upper; j += lanes) {
      acc0 = FloatVector.fromArray(math.sp(), a, ao + j).fma(FloatVector.fromArray(math.sp(), b, bo + j), acc0);
    }
    float sum = acc0.add(acc1).reduceLanes(ADD);
    for (; j < n; j++) sum += a[ao + j] * b[bo + j];
    return sum;
  }

  private void scale(float[] y, int yo, int n, float f) {
    int j = 0;
    for (int upper = math.sp().loopBound(n); j < upper; j += lanes) {
      FloatVector.fromArray(math.sp(), y, yo + j).mul(f).intoArray(y, yo + j);
    }
    for (; j < n; j++) y[yo + j] *= f;
  }

  @Override
  public void add(float[] y, int yOff, float[] a, int aOff, float[] b, int bOff, int len) {
    int i = 0;
    for (int upper = math.sp().loopBound(len); i < upper; i += lanes) {
      FloatVector.fromArray(math.sp(), a, aOff + i).add(FloatVector.fromArray(math.sp(), b, bOff + i)).intoArray(y, yOff + i);
    }
    for (; i < len; i++) y[yOff + i] = a[aOff + i] + b[bOff + i];
  }

  @Override
  public void accumulate(float[] y, int yOff, float[] x, int xOff, int len) {
    add(y, yOff, y, yOff, x, xOff, len);
  }

  @Override
  public void copyColumns(float[] dst, int dstOff, int dstCols, float[] src, int srcOff, int srcCols,
                          int rows, int cols, boolean accumulate) {
    for (int r = 0; r < rows; r++) {
      int d = dstOff + r * dstCols;
      int s = srcOff + r * srcCols;
      if (accumulate) add(dst, d, dst, d, src, s, cols);
      else System.arraycopy(src, s, dst, d, cols);
    }
  }

  @Override
  public void dropoutForward(float[] y, int yOff, float[] mask, int maskOff, float[] x, int xOff,
                             int len, float rate, long seed) {
    // The hash is 64-bit integer work that does not map onto float lanes; the mask is drawn with the
    // scalar code (so it matches ScalarFloatKernels bit for bit) and the product is vectorised.
    long mixed = MathFunctions.dropoutSeed(seed);
    float keep = (float) (1.0 / (1.0 - rate));
    for (int i = 0; i < len; i++) mask[maskOff + i] = MathFunctions.dropoutUniform(mixed, i) >= rate ? keep : 0f;
    multiply(y, yOff, x, xOff, mask, maskOff, len, false);
  }

  @Override
  public void multiply(float[] dx, int dxOff, float[] dy, int dyOff, float[] mask, int maskOff,
                       int len, boolean accumulate) {
    int i = 0;
    VectorMask<Float> acc = math.sp().maskAll(accumulate);
    for (int upper = math.sp().loopBound(len); i < upper; i += lanes) {
      FloatVector.fromArray(math.sp(), dy, dyOff + i).mul(FloatVector.fromArray(math.sp(), mask, maskOff + i))
          .add(FloatVector.fromArray(math.sp(), dx, dxOff + i), acc).intoArray(dx, dxOff + i);
    }
    for (; i < len; i++) {
      float v = dy[dyOff + i] * mask[maskOff + i];
      dx[dxOff + i] = accumulate ? dx[dxOff + i] + v : v;
    }
  }

  @Override
  public float softmaxCrossEntropy(float[] probs, int probsOff, float[] dlogits, int dlogitsOff,
                                   float[] logits, int logitsOff, int[] labels, int labelsOff, int m, int n) {
    ScalarFloatKernels.checkLabels(labels, labelsOff, m, n);
    double loss = 0;
    float invM = 1f / m;
    // Masked steps over each row (no scalar tail): short rows such as 10 classes stay in one vector.
    VectorSpecies<Float> sp = math.sp();
    for (int r = 0; r < m; r++) {
      int row = logitsOff + r * n;
      int label = labels[labelsOff + r];
      FloatVector mx = FloatVector.broadcast(sp, Float.NEGATIVE_INFINITY);
      for (int j = 0; j < n; j += lanes) {
        VectorMask<Float> k = math.tail(j, n);
        mx = mx.lanewise(MAX, FloatVector.fromArray(sp, logits, row + j, k), k);
      }
      float max = mx.reduceLanes(MAX);
      FloatVector acc = FloatVector.zero(sp);
      for (int j = 0; j < n; j += lanes) {
        VectorMask<Float> k = math.tail(j, n);
        acc = acc.add(FloatVector.fromArray(sp, logits, row + j, k).sub(max).lanewise(EXP), k);
      }
      float sum = acc.reduceLanes(ADD);
      loss += max + Math.log(sum) - logits[row + label];
      float inv = 1f / sum;
      if (probs != null) {
        int o = probsOff + r * n;
        for (int j = 0; j < n; j += lanes) {
          VectorMask<Float> k = math.tail(j, n);
          FloatVector.fromArray(sp, logits, row + j, k).sub(max).lanewise(EXP).mul(inv)
              .intoArray(probs, o + j, k);
        }
      }
      if (dlogits != null) {
        int o = dlogitsOff + r * n;
        float scale = inv * invM;
        for (int j = 0; j < n; j += lanes) {
          VectorMask<Float> k = math.tail(j, n);
          FloatVector.fromArray(sp, logits, row + j, k).sub(max).lanewise(EXP).mul(scale)
              .intoArray(dlogits, o + j, k);
        }
        dlogits[o + label] -= invM;
      }
    }
    return (float) (loss / m);
  }

  @Override
  public float meanSquaredError(float[] dpred, int dpredOff, float[] pred, int predOff,
                                float[] target, int targetOff, int m, int n) {
    int len = m * n;
    float scale = (float) (2.0 / len);
    double total = 0;
    int i = 0;
    int upper = math.sp().loopBound(len);
    // Float lanes sum a bounded block, then the block total goes to double: the error stays small for any length.
    while (i < upper) {
      int blockEnd = Math.min(upper, i + 4096);
      FloatVector acc = FloatVector.zero(math.sp());
      for (; i < blockEnd; i += lanes) {
        FloatVector d = FloatVector.fromArray(math.sp(), pred, predOff + i).sub(FloatVector.fromArray(math.sp(), target, targetOff + i));
        acc = d.fma(d, acc);
        if (dpred != null) d.mul(scale).intoArray(dpred, dpredOff + i);
      }
      total += acc.reduceLanes(ADD);
    }
    for (; i < len; i++) {
      float d = pred[predOff + i] - target[targetOff + i];
      total += (double) d * d;
      if (dpred != null) dpred[dpredOff + i] = scale * d;
    }
    return (float) (total / len);
  }

  @Override
  public void sgdUpdate(float[] params, float[] grads, float[] velocity, int off, int len,
                        float learningRate, float momentum, boolean nesterov) {
    int i = off;
    int end = off + len;
    int upper = off + math.sp().loopBound(len);
    if (momentum == 0) {
      for (; i < upper; i += lanes) {
        FloatVector g = FloatVector.fromArray(math.sp(), grads, i);
        FloatVector.fromArray(math.sp(), params, i).sub(g.mul(learningRate)).intoArray(params, i);
      }
      for (; i < end; i++) params[i] -= learningRate * grads[i];
      return;
    }
    // step = a·v + b·g: v for plain momentum, g + μ·v for Nesterov (no vector chosen by a branch)
    float a = nesterov ? momentum : 1f;
    float b = nesterov ? 1f : 0f;
    for (; i < upper; i += lanes) {
      FloatVector g = FloatVector.fromArray(math.sp(), grads, i);
      FloatVector v = FloatVector.fromArray(math.sp(), velocity, i).mul(momentum).add(g);
      v.intoArray(velocity, i);
      FloatVector step = v.mul(a).add(g.mul(b));
      FloatVector.fromArray(math.sp(), params, i).sub(step.mul(learningRate)).intoArray(params, i);
    }
    for (; i < end; i++) {
      float g = grads[i];
      float v = momentum * velocity[i] + g;
      velocity[i] = v;
      params[i] -= learningRate * (nesterov ? g + momentum * v : v);
    }
  }

  @Override
  public void adamUpdate(float[] params, float[] grads, float[] m, float[] v, int off, int len,
                         float learningRate, float beta1, float beta2, float epsilon, long step) {
    float stepSize = (float) (learningRate / (1 - Math.pow(beta1, step)));
    float invSqrtCorrection2 = (float) (1 / Math.sqrt(1 - Math.pow(beta2, step)));
    VectorSpecies<Float> sp = math.sp();
    float c1 = 1 - beta1;
    float c2 = 1 - beta2;
    // Whole vectors unmasked, then the tail as masked steps (a second loop, so no vector merges).
    int i = 0;
    for (int upper = sp.loopBound(len); i < upper; i += lanes) {
      int o = off + i;
      FloatVector g = FloatVector.fromArray(sp, grads, o);
      FloatVector mi = FloatVector.fromArray(sp, m, o).mul(beta1).add(g.mul(c1));
      FloatVector vi = FloatVector.fromArray(sp, v, o).mul(beta2).add(g.mul(g).mul(c2));
      mi.intoArray(m, o);
      vi.intoArray(v, o);
      FloatVector denom = vi.sqrt().mul(invSqrtCorrection2).add(epsilon);
      FloatVector.fromArray(sp, params, o).sub(mi.mul(stepSize).div(denom)).intoArray(params, o);
    }
    for (; i < len; i += lanes) {
      VectorMask<Float> mask = math.tail(i, len);
      int o = off + i;
      FloatVector g = FloatVector.fromArray(sp, grads, o, mask);
      FloatVector mi = FloatVector.fromArray(sp, m, o, mask).mul(beta1).add(g.mul(c1));
      FloatVector vi = FloatVector.fromArray(sp, v, o, mask).mul(beta2).add(g.mul(g).mul(c2));
      mi.intoArray(m, o, mask);
      vi.intoArray(v, o, mask);
      FloatVector denom = vi.sqrt().mul(invSqrtCorrection2).add(epsilon);
      FloatVector.fromArray(sp, params, o, mask).sub(mi.mul(stepSize).div(denom)).intoArray(params, o, mask);
    }
  }
}
