package dev.nabla.runtime.kernel;

import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.EXP;
import static jdk.incubator.vector.VectorOperators.LOG1P;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.MAX;

import dev.nabla.runtime.parallel.Parallel;
import dev.nabla.runtime.train.Schedules;
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
  private final ThreadLocal<VectorSequence> sequences;

  public VectorFloatKernels() {
    this(FloatVector.SPECIES_PREFERRED);
  }

  public VectorFloatKernels(VectorSpecies<Float> species) {
    this.lanes = species.length();
    this.math = VectorMath.of(species);
    this.gemms = ThreadLocal.withInitial(() -> new VectorGemm(math));
    this.sequences = ThreadLocal.withInitial(() -> new VectorSequence(math));
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
  public void denseForward(float[] y, int yOff, float[] z, int zOff,
                           float[] x, int xOff, float[] w, int wOff, float[] bias, int biasOff,
                           int m, int n, int k, int act, float actParam, long weightsVersion) {
    gemms.get().forward(y, yOff, z, zOff, x, xOff, w, wOff, bias, biasOff, m, n, k, act, actParam, weightsVersion);
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
                                   float[] logits, int logitsOff, int[] labels, int labelsOff, int m, int n,
                                   float smoothing) {
    float off = smoothing / n, on = 1 - smoothing + off;
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
      double mean = 0;
      if (smoothing != 0) {
        FloatVector tot = FloatVector.zero(sp);
        for (int j = 0; j < n; j += lanes) {
          VectorMask<Float> k = math.tail(j, n);
          tot = tot.add(FloatVector.fromArray(sp, logits, row + j, k), k);
        }
        mean = tot.reduceLanes(ADD) / n;
      }
      loss += max + Math.log(sum) - (1 - smoothing) * logits[row + label] - smoothing * mean;
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
          FloatVector.fromArray(sp, logits, row + j, k).sub(max).lanewise(EXP).mul(scale).sub(off * invM)
              .intoArray(dlogits, o + j, k);
        }
        dlogits[o + label] -= (on - off) * invM;
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
  public float binaryCrossEntropy(float[] dlogits, int dlogitsOff, float[] logits, int logitsOff,
                                  float[] target, int targetOff, int m, int n) {
    int len = m * n;
    float scale = (float) (1.0 / len);
    VectorSpecies<Float> sp = math.sp();
    double total = 0;
    // Masked steps (no scalar tail); float lanes sum a bounded block, then the block goes to double.
    int i = 0;
    while (i < len) {
      int blockEnd = Math.min(len, i + 4096);
      FloatVector acc = FloatVector.zero(sp);
      for (; i < blockEnd; i += lanes) {
        VectorMask<Float> k = math.tail(i, len);
        FloatVector x = FloatVector.fromArray(sp, logits, logitsOff + i, k);
        FloatVector t = FloatVector.fromArray(sp, target, targetOff + i, k);
        FloatVector e = x.abs().neg().lanewise(EXP);
        FloatVector l = x.max(0f).sub(x.mul(t)).add(e.lanewise(LOG1P));
        acc = acc.add(l, k);
        if (dlogits != null) {
          FloatVector num = FloatVector.broadcast(sp, 1f).blend(e, x.compare(LT, 0f));
          num.div(e.add(1f)).sub(t).mul(scale).intoArray(dlogits, dlogitsOff + i, k);
        }
      }
      total += acc.reduceLanes(ADD);
    }
    return (float) (total / len);
  }

  @Override
  public void decayGradients(float[] grads, float[] params, int off, int len, float gradScale, float lambda) {
    VectorSpecies<Float> sp = math.sp();
    int end = off + len;
    for (int i = off; i < end; i += lanes) {
      VectorMask<Float> k = math.tail(i, end);
      FloatVector.fromArray(sp, params, i, k).mul(lambda)
          .add(FloatVector.fromArray(sp, grads, i, k).mul(gradScale)).intoArray(grads, i, k);
    }
  }

  /** The scalar tails: the same arithmetic the scalar kernels do, element by element. */
  private static final ScalarFloatKernels TAIL = new ScalarFloatKernels();

  @Override
  public double gradNorm(float[] grads, int off, int len) {
    VectorSpecies<Float> sp = math.sp();
    double total = 0;
    int i = 0;
    int upper = sp.loopBound(len);
    // float partial sums over blocks of 64 vectors, then into the double total
    while (i < upper) {
      int blockEnd = Math.min(upper, i + 64 * lanes);
      FloatVector acc = FloatVector.zero(sp);
      for (; i < blockEnd; i += lanes) {
        FloatVector g = FloatVector.fromArray(sp, grads, off + i);
        acc = g.fma(g, acc);
      }
      total += acc.reduceLanes(ADD);
    }
    for (; i < len; i++) total += (double) grads[off + i] * grads[off + i];
    return Math.sqrt(total);
  }

  @Override
  public void sgdUpdate(float[] params, float[] grads, float[] velocity, int off, int len,
                        float learningRate, float momentum, boolean nesterov, float gradScale) {
    VectorSpecies<Float> sp = math.sp();
    int i = off;
    int upper = off + sp.loopBound(len);
    if (momentum == 0) {
      for (; i < upper; i += lanes) {
        FloatVector g = FloatVector.fromArray(sp, grads, i).mul(gradScale);
        FloatVector.fromArray(sp, params, i).sub(g.mul(learningRate)).intoArray(params, i);
      }
    } else {
      // step = a·v + b·g: v for plain momentum, g + μ·v for Nesterov (no vector chosen by a branch)
      float a = nesterov ? momentum : 1f;
      float b = nesterov ? 1f : 0f;
      for (; i < upper; i += lanes) {
        FloatVector g = FloatVector.fromArray(sp, grads, i).mul(gradScale);
        FloatVector v = FloatVector.fromArray(sp, velocity, i).mul(momentum).add(g);
        v.intoArray(velocity, i);
        FloatVector step = v.mul(a).add(g.mul(b));
        FloatVector.fromArray(sp, params, i).sub(step.mul(learningRate)).intoArray(params, i);
      }
    }
    TAIL.sgdUpdate(params, grads, velocity, i, off + len - i, learningRate, momentum, nesterov, gradScale);
  }

  @Override
  public void adamUpdate(float[] params, float[] grads, float[] m, float[] v, int off, int len,
                         float learningRate, float beta1, float beta2, float epsilon, long step, float gradScale) {
    adamwUpdate(params, grads, m, v, off, len, learningRate, beta1, beta2, epsilon, 0, step, gradScale);
  }

  @Override
  public void adamwUpdate(float[] params, float[] grads, float[] m, float[] v, int off, int len,
                          float learningRate, float beta1, float beta2, float epsilon, float weightDecay,
                          long step, float gradScale) {
    float stepSize = (float) (learningRate / (1 - Math.pow(beta1, step)));
    float invSqrtCorrection2 = (float) (1 / Math.sqrt(1 - Math.pow(beta2, step)));
    float decay = (float) (1 - (double) learningRate * weightDecay);
    VectorSpecies<Float> sp = math.sp();
    float c1 = 1 - beta1;
    float c2 = 1 - beta2;
    int i = off;
    for (int upper = off + sp.loopBound(len); i < upper; i += lanes) {
      FloatVector g = FloatVector.fromArray(sp, grads, i).mul(gradScale);
      FloatVector mi = FloatVector.fromArray(sp, m, i).mul(beta1).add(g.mul(c1));
      FloatVector vi = FloatVector.fromArray(sp, v, i).mul(beta2).add(g.mul(g).mul(c2));
      mi.intoArray(m, i);
      vi.intoArray(v, i);
      FloatVector denom = vi.sqrt().mul(invSqrtCorrection2).add(epsilon);
      FloatVector.fromArray(sp, params, i).mul(decay).sub(mi.mul(stepSize).div(denom)).intoArray(params, i);
    }
    TAIL.adamwUpdate(params, grads, m, v, i, off + len - i, learningRate, beta1, beta2, epsilon, weightDecay,
        step, gradScale);
  }

  @Override
  public void adagradUpdate(float[] params, float[] grads, float[] sum, int off, int len,
                            float learningRate, float epsilon, float gradScale) {
    VectorSpecies<Float> sp = math.sp();
    int i = off;
    for (int upper = off + sp.loopBound(len); i < upper; i += lanes) {
      FloatVector g = FloatVector.fromArray(sp, grads, i).mul(gradScale);
      FloatVector s = FloatVector.fromArray(sp, sum, i).add(g.mul(g));
      s.intoArray(sum, i);
      FloatVector.fromArray(sp, params, i).sub(g.mul(learningRate).div(s.sqrt().add(epsilon))).intoArray(params, i);
    }
    TAIL.adagradUpdate(params, grads, sum, i, off + len - i, learningRate, epsilon, gradScale);
  }

  @Override
  public void rmspropUpdate(float[] params, float[] grads, float[] squareAvg, float[] gradAvg, float[] buffer,
                            int off, int len, float learningRate, float alpha, float epsilon, float momentum,
                            float gradScale) {
    VectorSpecies<Float> sp = math.sp();
    float c = 1 - alpha;
    int i = off;
    int upper = off + sp.loopBound(len);
    // one loop per variant, so no vector is chosen by a branch
    if (gradAvg == null && momentum == 0) {
      for (; i < upper; i += lanes) {
        FloatVector g = FloatVector.fromArray(sp, grads, i).mul(gradScale);
        FloatVector s = FloatVector.fromArray(sp, squareAvg, i).mul(alpha).add(g.mul(c).mul(g));
        s.intoArray(squareAvg, i);
        FloatVector avg = s.sqrt().add(epsilon);
        FloatVector.fromArray(sp, params, i).sub(g.mul(learningRate).div(avg)).intoArray(params, i);
      }
    } else if (gradAvg == null) {
      for (; i < upper; i += lanes) {
        FloatVector g = FloatVector.fromArray(sp, grads, i).mul(gradScale);
        FloatVector s = FloatVector.fromArray(sp, squareAvg, i).mul(alpha).add(g.mul(c).mul(g));
        s.intoArray(squareAvg, i);
        FloatVector avg = s.sqrt().add(epsilon);
        FloatVector b = FloatVector.fromArray(sp, buffer, i).mul(momentum).add(g.div(avg));
        b.intoArray(buffer, i);
        FloatVector.fromArray(sp, params, i).sub(b.mul(learningRate)).intoArray(params, i);
      }
    } else if (momentum == 0) {
      for (; i < upper; i += lanes) {
        FloatVector g = FloatVector.fromArray(sp, grads, i).mul(gradScale);
        FloatVector s = FloatVector.fromArray(sp, squareAvg, i).mul(alpha).add(g.mul(c).mul(g));
        s.intoArray(squareAvg, i);
        FloatVector a = FloatVector.fromArray(sp, gradAvg, i).mul(alpha).add(g.mul(c));
        a.intoArray(gradAvg, i);
        FloatVector avg = s.sub(a.mul(a)).sqrt().add(epsilon);
        FloatVector.fromArray(sp, params, i).sub(g.mul(learningRate).div(avg)).intoArray(params, i);
      }
    } else {
      for (; i < upper; i += lanes) {
        FloatVector g = FloatVector.fromArray(sp, grads, i).mul(gradScale);
        FloatVector s = FloatVector.fromArray(sp, squareAvg, i).mul(alpha).add(g.mul(c).mul(g));
        s.intoArray(squareAvg, i);
        FloatVector a = FloatVector.fromArray(sp, gradAvg, i).mul(alpha).add(g.mul(c));
        a.intoArray(gradAvg, i);
        FloatVector avg = s.sub(a.mul(a)).sqrt().add(epsilon);
        FloatVector b = FloatVector.fromArray(sp, buffer, i).mul(momentum).add(g.div(avg));
        b.intoArray(buffer, i);
        FloatVector.fromArray(sp, params, i).sub(b.mul(learningRate)).intoArray(params, i);
      }
    }
    TAIL.rmspropUpdate(params, grads, squareAvg, gradAvg, buffer, i, off + len - i, learningRate, alpha, epsilon,
        momentum, gradScale);
  }

  @Override
  public void adadeltaUpdate(float[] params, float[] grads, float[] squareAvg, float[] accDelta, int off, int len,
                             float learningRate, float rho, float epsilon, float gradScale) {
    VectorSpecies<Float> sp = math.sp();
    float c = 1 - rho;
    int i = off;
    for (int upper = off + sp.loopBound(len); i < upper; i += lanes) {
      FloatVector g = FloatVector.fromArray(sp, grads, i).mul(gradScale);
      FloatVector s = FloatVector.fromArray(sp, squareAvg, i).mul(rho).add(g.mul(c).mul(g));
      s.intoArray(squareAvg, i);
      FloatVector u = FloatVector.fromArray(sp, accDelta, i);
      FloatVector delta = u.add(epsilon).sqrt().div(s.add(epsilon).sqrt()).mul(g);
      u.mul(rho).add(delta.mul(c).mul(delta)).intoArray(accDelta, i);
      FloatVector.fromArray(sp, params, i).sub(delta.mul(learningRate)).intoArray(params, i);
    }
    TAIL.adadeltaUpdate(params, grads, squareAvg, accDelta, i, off + len - i, learningRate, rho, epsilon, gradScale);
  }

  @Override
  public void adamaxUpdate(float[] params, float[] grads, float[] m, float[] u, int off, int len,
                           float learningRate, float beta1, float beta2, float epsilon, long step,
                           float gradScale) {
    float stepSize = (float) (learningRate / (1 - Math.pow(beta1, step)));
    VectorSpecies<Float> sp = math.sp();
    float c1 = 1 - beta1;
    int i = off;
    for (int upper = off + sp.loopBound(len); i < upper; i += lanes) {
      FloatVector g = FloatVector.fromArray(sp, grads, i).mul(gradScale);
      FloatVector mi = FloatVector.fromArray(sp, m, i).mul(beta1).add(g.mul(c1));
      FloatVector ui = FloatVector.fromArray(sp, u, i).mul(beta2).max(g.abs().add(epsilon));
      mi.intoArray(m, i);
      ui.intoArray(u, i);
      FloatVector.fromArray(sp, params, i).sub(mi.mul(stepSize).div(ui)).intoArray(params, i);
    }
    TAIL.adamaxUpdate(params, grads, m, u, i, off + len - i, learningRate, beta1, beta2, epsilon, step, gradScale);
  }

  @Override
  public void nadamUpdate(float[] params, float[] grads, float[] m, float[] v, int off, int len,
                          float learningRate, float beta1, float beta2, float epsilon, float momentumDecay,
                          long step, double muProduct, float gradScale) {
    double mu = Schedules.nadamMu(beta1, momentumDecay, step);
    double muNext = Schedules.nadamMu(beta1, momentumDecay, step + 1);
    float gradCoef = (float) (learningRate * (1 - mu) / (1 - muProduct));
    float momentCoef = (float) (learningRate * muNext / (1 - muProduct * mu * muNext));
    float invSqrtCorrection2 = (float) (1 / Math.sqrt(1 - Math.pow(beta2, step)));
    VectorSpecies<Float> sp = math.sp();
    float c1 = 1 - beta1;
    float c2 = 1 - beta2;
    int i = off;
    for (int upper = off + sp.loopBound(len); i < upper; i += lanes) {
      FloatVector g = FloatVector.fromArray(sp, grads, i).mul(gradScale);
      FloatVector mi = FloatVector.fromArray(sp, m, i).mul(beta1).add(g.mul(c1));
      FloatVector vi = FloatVector.fromArray(sp, v, i).mul(beta2).add(g.mul(g).mul(c2));
      mi.intoArray(m, i);
      vi.intoArray(v, i);
      FloatVector denom = vi.sqrt().mul(invSqrtCorrection2).add(epsilon);
      FloatVector step1 = g.mul(gradCoef).add(mi.mul(momentCoef)).div(denom);
      FloatVector.fromArray(sp, params, i).sub(step1).intoArray(params, i);
    }
    TAIL.nadamUpdate(params, grads, m, v, i, off + len - i, learningRate, beta1, beta2, epsilon, momentumDecay,
        step, muProduct, gradScale);
  }

  // ---- Sequence kernels (see VectorSequence) ---------------------------------------------------

  @Override
  public void embeddingForward(float[] y, int yOff, float[] table, int tableOff,
                               float[] x, int xOff, int xStride, int t, int m, int c, int vocab) {
    sequences.get().embeddingForward(y, yOff, table, tableOff, x, xOff, xStride, t, m, c, vocab);
  }

  @Override
  public void embeddingBackward(float[] dtable, int dtableOff, float[] dy, int dyOff,
                                float[] x, int xOff, int xStride, int t, int m, int c, int vocab,
                                boolean accumulate) {
    sequences.get().embeddingBackward(dtable, dtableOff, dy, dyOff, x, xOff, xStride, t, m, c, vocab, accumulate);
  }

  @Override
  public void addPositions(float[] y, int yOff, float[] x, int xOff, float[] table, int tableOff,
                           int start, int t, int m, int c) {
    sequences.get().addPositions(y, yOff, x, xOff, table, tableOff, start, t, m, c);
  }

  @Override
  public void positionsBackward(float[] dtable, int dtableOff, float[] dy, int dyOff, int t, int m, int c,
                                boolean accumulate) {
    sequences.get().positionsBackward(dtable, dtableOff, dy, dyOff, t, m, c, accumulate);
  }

  @Override
  public void layerNormForward(float[] y, int yOff, float[] mean, int meanOff, float[] rstd, int rstdOff,
                               float[] x, int xOff, float[] gamma, int gammaOff, float[] beta, int betaOff,
                               int m, int n, float eps) {
    sequences.get().layerNormForward(y, yOff, mean, meanOff, rstd, rstdOff, x, xOff, gamma, gammaOff,
        beta, betaOff, m, n, eps);
  }

  @Override
  public void layerNormBackward(float[] dx, int dxOff, float[] dgamma, int dgammaOff, float[] dbeta, int dbetaOff,
                                float[] dy, int dyOff, float[] x, int xOff, float[] mean, int meanOff,
                                float[] rstd, int rstdOff, float[] gamma, int gammaOff, int m, int n,
                                boolean accumulate) {
    sequences.get().layerNormBackward(dx, dxOff, dgamma, dgammaOff, dbeta, dbetaOff, dy, dyOff, x, xOff,
        mean, meanOff, rstd, rstdOff, gamma, gammaOff, m, n, accumulate);
  }

  @Override
  public void attentionForward(float[] o, int oOff, float[] lse, int lseOff,
                               float[] q, int qOff, int qStride,
                               float[] k, int kOff, float[] v, int vOff, int kvStride, int kvBatchStride,
                               int batch, int tq, int tk, int heads, int headDim, boolean causal) {
    sequences.get().attentionForward(o, oOff, lse, lseOff, q, qOff, qStride, k, kOff, v, vOff, kvStride,
        kvBatchStride, batch, tq, tk, heads, headDim, causal);
  }

  @Override
  public void attentionBackward(float[] dq, int dqOff, float[] dk, int dkOff, float[] dv, int dvOff,
                                float[] dOut, int dOutOff, float[] o, int oOff, float[] lse, int lseOff,
                                float[] q, int qOff, int qStride, float[] k, int kOff, float[] v, int vOff,
                                int kvStride, int batch, int tq, int tk, int heads, int headDim, boolean causal) {
    sequences.get().attentionBackward(dq, dqOff, dk, dkOff, dv, dvOff, dOut, dOutOff, o, oOff, lse, lseOff,
        q, qOff, qStride, k, kOff, v, vOff, kvStride, batch, tq, tk, heads, headDim, causal);
  }

  @Override
  public void copyRows(float[] dst, int dstOff, int dstStride, float[] src, int srcOff, int srcStride, int m, int c) {
    for (int r = 0; r < m; r++) System.arraycopy(src, srcOff + r * srcStride, dst, dstOff + r * dstStride, c);
  }
}
