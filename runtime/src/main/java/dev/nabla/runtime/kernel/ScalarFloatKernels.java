package dev.nabla.runtime.kernel;

import dev.nabla.runtime.train.Schedules;

/**
 * Plain loops, written to be obviously correct: the fallback without jdk.incubator.vector and the
 * oracle the SIMD kernels are tested against. Sums run in float as a straightforward implementation
 * would; only the loss totals use double.
 */
public final class ScalarFloatKernels implements FloatKernels {

  @Override
  public String describe() {
    return "scalar";
  }

  @Override
  public void denseForward(float[] y, int yOff, float[] z, int zOff,
                           float[] x, int xOff, float[] w, int wOff, float[] bias, int biasOff,
                           int m, int n, int k, int act, float actParam) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float s = bias == null ? 0 : bias[biasOff + j];
        for (int p = 0; p < k; p++) s += x[xOff + i * k + p] * w[wOff + j * k + p];
        if (z != null) z[zOff + i * n + j] = s;
        y[yOff + i * n + j] = s;
      }
    }
    activationForward(y, yOff, y, yOff, m, n, act, actParam);
  }

  @Override
  public void denseBackwardInput(float[] dx, int dxOff, float[] dy, int dyOff, float[] w, int wOff,
                                 float[] saved, int savedOff,
                                 int m, int n, int k, boolean accumulate, int act, float actParam) {
    for (int i = 0; i < m; i++) {
      for (int p = 0; p < k; p++) {
        float s = accumulate ? dx[dxOff + i * k + p] : 0;
        for (int j = 0; j < n; j++) s += dy[dyOff + i * n + j] * w[wOff + j * k + p];
        dx[dxOff + i * k + p] = s;
      }
    }
    if (act != Act.NONE) activationBackward(dx, dxOff, dx, dxOff, saved, savedOff, m, k, act, actParam, false);
  }

  @Override
  public void denseBackwardWeight(float[] dw, int dwOff, float[] dbias, int dbiasOff,
                                  float[] dy, int dyOff, float[] x, int xOff,
                                  int m, int n, int k, boolean accumulate) {
    for (int j = 0; j < n; j++) {
      for (int p = 0; p < k; p++) {
        float s = 0;
        for (int i = 0; i < m; i++) s += dy[dyOff + i * n + j] * x[xOff + i * k + p];
        dw[dwOff + j * k + p] = accumulate ? dw[dwOff + j * k + p] + s : s;
      }
    }
    if (dbias != null) {
      for (int j = 0; j < n; j++) {
        float s = 0;
        for (int i = 0; i < m; i++) s += dy[dyOff + i * n + j];
        dbias[dbiasOff + j] = accumulate ? dbias[dbiasOff + j] + s : s;
      }
    }
  }

  @Override
  public void activationForward(float[] y, int yOff, float[] x, int xOff, int m, int n, int act, float actParam) {
    if (act == Act.SOFTMAX) {
      for (int r = 0; r < m; r++) softmaxRow(y, yOff + r * n, x, xOff + r * n, n, actParam);
      return;
    }
    for (int i = 0; i < m * n; i++) y[yOff + i] = apply(x[xOff + i], act, actParam);
  }

  @Override
  public void activationBackward(float[] dx, int dxOff, float[] dy, int dyOff, float[] saved, int savedOff,
                                 int m, int n, int act, float actParam, boolean accumulate) {
    if (act == Act.SOFTMAX) {
      for (int r = 0; r < m; r++) {
        int d = dyOff + r * n;
        int s = savedOff + r * n;
        float dot = 0;
        for (int j = 0; j < n; j++) dot += dy[d + j] * saved[s + j];
        for (int j = 0; j < n; j++) {
          float v = (dy[d + j] - dot) * saved[s + j] / actParam;
          dx[dxOff + r * n + j] = accumulate ? dx[dxOff + r * n + j] + v : v;
        }
      }
      return;
    }
    for (int i = 0; i < m * n; i++) {
      float v = dy[dyOff + i] * derivative(saved[savedOff + i], act, actParam);
      dx[dxOff + i] = accumulate ? dx[dxOff + i] + v : v;
    }
  }

  static float apply(float x, int act, float p) {
    return switch (act) {
      case Act.NONE -> x;
      case Act.SIGMOID -> MathFunctions.sigmoid(x);
      case Act.TANH -> (float) Math.tanh(x);
      case Act.RELU -> x > 0 ? x : 0;
      case Act.LEAKY_RELU -> x > 0 ? x : p * x;
      case Act.ELU -> x > 0 ? x : p * (float) Math.expm1(x);
      case Act.SELU -> (float) (Act.SELU_SCALE * (x > 0 ? x : Act.SELU_ALPHA * Math.expm1(x)));
      case Act.GELU -> MathFunctions.gelu(x);
      case Act.SWISH -> x * MathFunctions.sigmoid(x);
      default -> throw new IllegalArgumentException("not an element-wise activation: " + act);
    };
  }

  /** act' as a function of the saved value (the output, or the input for GELU and Swish). */
  static float derivative(float s, int act, float p) {
    return switch (act) {
      case Act.NONE -> 1;
      case Act.SIGMOID -> s * (1 - s);
      case Act.TANH -> 1 - s * s;
      case Act.RELU -> s > 0 ? 1 : 0;
      case Act.LEAKY_RELU -> s > 0 ? 1 : p;
      case Act.ELU -> s > 0 ? 1 : s + p;
      case Act.SELU -> (float) (s > 0 ? Act.SELU_SCALE : s + Act.SELU_SCALE * Act.SELU_ALPHA);
      case Act.GELU -> MathFunctions.geluDerivative(s);
      case Act.SWISH -> {
        float g = MathFunctions.sigmoid(s);
        yield g * (1 + s * (1 - g));
      }
      default -> throw new IllegalArgumentException("not an element-wise activation: " + act);
    };
  }

  private static void softmaxRow(float[] y, int yo, float[] x, int xo, int n, float t) {
    float max = Float.NEGATIVE_INFINITY;
    for (int j = 0; j < n; j++) max = Math.max(max, x[xo + j]);
    float sum = 0;
    for (int j = 0; j < n; j++) {
      float e = (float) Math.exp((x[xo + j] - max) / t);
      y[yo + j] = e;
      sum += e;
    }
    for (int j = 0; j < n; j++) y[yo + j] /= sum;
  }

  @Override
  public void add(float[] y, int yOff, float[] a, int aOff, float[] b, int bOff, int len) {
    for (int i = 0; i < len; i++) y[yOff + i] = a[aOff + i] + b[bOff + i];
  }

  @Override
  public void accumulate(float[] y, int yOff, float[] x, int xOff, int len) {
    for (int i = 0; i < len; i++) y[yOff + i] += x[xOff + i];
  }

  @Override
  public void copyColumns(float[] dst, int dstOff, int dstCols, float[] src, int srcOff, int srcCols,
                          int rows, int cols, boolean accumulate) {
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        float v = src[srcOff + r * srcCols + c];
        int d = dstOff + r * dstCols + c;
        dst[d] = accumulate ? dst[d] + v : v;
      }
    }
  }

  @Override
  public void dropoutForward(float[] y, int yOff, float[] mask, int maskOff, float[] x, int xOff,
                             int len, float rate, long seed) {
    long mixed = MathFunctions.dropoutSeed(seed);
    float scale = (float) (1.0 / (1.0 - rate));
    for (int i = 0; i < len; i++) {
      float keep = MathFunctions.dropoutUniform(mixed, i) >= rate ? scale : 0;
      mask[maskOff + i] = keep;
      y[yOff + i] = x[xOff + i] * keep;
    }
  }

  @Override
  public void multiply(float[] dx, int dxOff, float[] dy, int dyOff, float[] mask, int maskOff,
                       int len, boolean accumulate) {
    for (int i = 0; i < len; i++) {
      float v = dy[dyOff + i] * mask[maskOff + i];
      dx[dxOff + i] = accumulate ? dx[dxOff + i] + v : v;
    }
  }

  @Override
  public float softmaxCrossEntropy(float[] probs, int probsOff, float[] dlogits, int dlogitsOff,
                                   float[] logits, int logitsOff, int[] labels, int labelsOff, int m, int n,
                                   float smoothing) {
    float off = smoothing / n, on = 1 - smoothing + off;
    checkLabels(labels, labelsOff, m, n);
    double loss = 0;
    for (int r = 0; r < m; r++) {
      int row = logitsOff + r * n;
      int label = labels[labelsOff + r];
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < n; j++) max = Math.max(max, logits[row + j]);
      float sum = 0;
      for (int j = 0; j < n; j++) sum += (float) Math.exp(logits[row + j] - max);
      double mean = 0;
      if (smoothing != 0) {
        for (int j = 0; j < n; j++) mean += logits[row + j];
        mean /= n;
      }
      loss += max + Math.log(sum) - (1 - smoothing) * logits[row + label] - smoothing * mean;
      for (int j = 0; j < n; j++) {
        float p = (float) Math.exp(logits[row + j] - max) / sum;
        if (probs != null) probs[probsOff + r * n + j] = p;
        if (dlogits != null) dlogits[dlogitsOff + r * n + j] = (p - (j == label ? on : off)) / m;
      }
    }
    return (float) (loss / m);
  }

  static void checkLabels(int[] labels, int labelsOff, int m, int n) {
    for (int r = 0; r < m; r++) {
      int label = labels[labelsOff + r];
      if (label < 0 || label >= n) {
        throw new IllegalArgumentException(
            "label " + label + " of row " + r + " is outside [0, " + n + ")");
      }
    }
  }

  @Override
  public float meanSquaredError(float[] dpred, int dpredOff, float[] pred, int predOff,
                                float[] target, int targetOff, int m, int n) {
    int len = m * n;
    float scale = (float) (2.0 / len);
    double sum = 0;
    for (int i = 0; i < len; i++) {
      float d = pred[predOff + i] - target[targetOff + i];
      sum += (double) d * d;
      if (dpred != null) dpred[dpredOff + i] = scale * d;
    }
    return (float) (sum / len);
  }

  @Override
  public float binaryCrossEntropy(float[] dlogits, int dlogitsOff, float[] logits, int logitsOff,
                                float[] target, int targetOff, int m, int n) {
    int len = m * n;
    float scale = (float) (1.0 / len);
    double sum = 0;
    for (int i = 0; i < len; i++) {
      float x = logits[logitsOff + i], t = target[targetOff + i];
      float e = (float) Math.exp(-Math.abs(x));
      sum += Math.max(x, 0) - x * t + Math.log1p(e);
      if (dlogits != null) {
        float s = (x >= 0 ? 1 : e) / (1 + e);
        dlogits[dlogitsOff + i] = scale * (s - t);
      }
    }
    return (float) (sum / len);
  }

  @Override
  public void decayGradients(float[] grads, float[] params, int off, int len, float gradScale, float lambda) {
    for (int i = off; i < off + len; i++) grads[i] = gradScale * grads[i] + lambda * params[i];
  }

  @Override
  public double gradNorm(float[] grads, int off, int len) {
    double sum = 0;
    for (int i = off; i < off + len; i++) sum += (double) grads[i] * grads[i];
    return Math.sqrt(sum);
  }

  @Override
  public void sgdUpdate(float[] params, float[] grads, float[] velocity, int off, int len,
                        float learningRate, float momentum, boolean nesterov, float gradScale) {
    for (int i = off; i < off + len; i++) {
      float g = gradScale * grads[i];
      if (momentum != 0) {
        float v = momentum * velocity[i] + g;
        velocity[i] = v;
        params[i] -= learningRate * (nesterov ? g + momentum * v : v);
      } else {
        params[i] -= learningRate * g;
      }
    }
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
    double correction1 = 1 - Math.pow(beta1, step);
    double correction2 = 1 - Math.pow(beta2, step);
    float stepSize = (float) (learningRate / correction1);
    float invSqrtCorrection2 = (float) (1 / Math.sqrt(correction2));
    float decay = (float) (1 - (double) learningRate * weightDecay);
    for (int i = off; i < off + len; i++) {
      float g = gradScale * grads[i];
      float mi = beta1 * m[i] + (1 - beta1) * g;
      float vi = beta2 * v[i] + (1 - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] = params[i] * decay - stepSize * mi / ((float) Math.sqrt(vi) * invSqrtCorrection2 + epsilon);
    }
  }

  @Override
  public void adagradUpdate(float[] params, float[] grads, float[] sum, int off, int len,
                            float learningRate, float epsilon, float gradScale) {
    for (int i = off; i < off + len; i++) {
      float g = gradScale * grads[i];
      float s = sum[i] + g * g;
      sum[i] = s;
      params[i] -= learningRate * g / ((float) Math.sqrt(s) + epsilon);
    }
  }

  @Override
  public void rmspropUpdate(float[] params, float[] grads, float[] squareAvg, float[] gradAvg, float[] buffer,
                            int off, int len, float learningRate, float alpha, float epsilon, float momentum,
                            float gradScale) {
    float c = 1 - alpha;
    for (int i = off; i < off + len; i++) {
      float g = gradScale * grads[i];
      float s = alpha * squareAvg[i] + c * g * g;
      squareAvg[i] = s;
      float avg;
      if (gradAvg != null) {
        float a = alpha * gradAvg[i] + c * g;
        gradAvg[i] = a;
        avg = (float) Math.sqrt(s - a * a) + epsilon;
      } else {
        avg = (float) Math.sqrt(s) + epsilon;
      }
      if (momentum != 0) {
        float b = momentum * buffer[i] + g / avg;
        buffer[i] = b;
        params[i] -= learningRate * b;
      } else {
        params[i] -= learningRate * g / avg;
      }
    }
  }

  @Override
  public void adadeltaUpdate(float[] params, float[] grads, float[] squareAvg, float[] accDelta, int off, int len,
                             float learningRate, float rho, float epsilon, float gradScale) {
    float c = 1 - rho;
    for (int i = off; i < off + len; i++) {
      float g = gradScale * grads[i];
      float s = rho * squareAvg[i] + c * g * g;
      squareAvg[i] = s;
      float delta = (float) Math.sqrt(accDelta[i] + epsilon) / (float) Math.sqrt(s + epsilon) * g;
      accDelta[i] = rho * accDelta[i] + c * delta * delta;
      params[i] -= learningRate * delta;
    }
  }

  @Override
  public void adamaxUpdate(float[] params, float[] grads, float[] m, float[] u, int off, int len,
                           float learningRate, float beta1, float beta2, float epsilon, long step,
                           float gradScale) {
    float stepSize = (float) (learningRate / (1 - Math.pow(beta1, step)));
    for (int i = off; i < off + len; i++) {
      float g = gradScale * grads[i];
      float mi = beta1 * m[i] + (1 - beta1) * g;
      float ui = Math.max(beta2 * u[i], Math.abs(g) + epsilon);
      m[i] = mi;
      u[i] = ui;
      params[i] -= stepSize * mi / ui;
    }
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
    for (int i = off; i < off + len; i++) {
      float g = gradScale * grads[i];
      float mi = beta1 * m[i] + (1 - beta1) * g;
      float vi = beta2 * v[i] + (1 - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      float denom = (float) Math.sqrt(vi) * invSqrtCorrection2 + epsilon;
      params[i] -= (gradCoef * g + momentCoef * mi) / denom;
    }
  }

  // ---- Sequence kernels ------------------------------------------------------------------------

  /**
   * The token of row r (example r / t, position r % t), checked: an IllegalArgumentException naming
   * the example, the position and the value when it is not a whole number in [0, vocab).
   */
  static int token(float[] x, int xOff, int xStride, int t, int r, int vocab) {
    int b = r / t;
    int p = r - b * t;
    float value = x[xOff + b * xStride + p];
    int id = (int) value;
    if (id != value || id < 0 || id >= vocab) {
      throw new IllegalArgumentException("token " + value + " at example " + b + ", position " + p
          + " is not a whole number in [0, " + vocab + ")");
    }
    return id;
  }

  /** Checks every token of m rows before any output is written. */
  static void checkTokens(float[] x, int xOff, int xStride, int t, int m, int vocab) {
    for (int r = 0; r < m; r++) token(x, xOff, xStride, t, r, vocab);
  }

  /** The end of the keys query i sees: tk, or i + tk − tq + 1 with the causal mask (at most tk). */
  static int keyEnd(int i, int tq, int tk, boolean causal) {
    return causal ? Math.min(tk, i + tk - tq + 1) : tk;
  }

  @Override
  public void embeddingForward(float[] y, int yOff, float[] table, int tableOff,
                               float[] x, int xOff, int xStride, int t, int m, int c, int vocab) {
    checkTokens(x, xOff, xStride, t, m, vocab);
    for (int r = 0; r < m; r++) {
      int id = token(x, xOff, xStride, t, r, vocab);
      System.arraycopy(table, tableOff + id * c, y, yOff + r * c, c);
    }
  }

  @Override
  public void embeddingBackward(float[] dtable, int dtableOff, float[] dy, int dyOff,
                                float[] x, int xOff, int xStride, int t, int m, int c, int vocab,
                                boolean accumulate) {
    checkTokens(x, xOff, xStride, t, m, vocab);
    if (!accumulate) java.util.Arrays.fill(dtable, dtableOff, dtableOff + vocab * c, 0f);
    for (int r = 0; r < m; r++) {
      int row = dtableOff + token(x, xOff, xStride, t, r, vocab) * c;
      for (int j = 0; j < c; j++) dtable[row + j] += dy[dyOff + r * c + j];
    }
  }

  @Override
  public void addPositions(float[] y, int yOff, float[] x, int xOff, float[] table, int tableOff,
                           int start, int t, int m, int c) {
    for (int r = 0; r < m; r++) {
      int pos = tableOff + (start + r % t) * c;
      for (int j = 0; j < c; j++) y[yOff + r * c + j] = x[xOff + r * c + j] + table[pos + j];
    }
  }

  @Override
  public void positionsBackward(float[] dtable, int dtableOff, float[] dy, int dyOff, int t, int m, int c,
                                boolean accumulate) {
    for (int p = 0; p < t; p++) {
      for (int j = 0; j < c; j++) {
        float s = accumulate ? dtable[dtableOff + p * c + j] : 0;
        for (int r = p; r < m; r += t) s += dy[dyOff + r * c + j];
        dtable[dtableOff + p * c + j] = s;
      }
    }
  }

  @Override
  public void layerNormForward(float[] y, int yOff, float[] mean, int meanOff, float[] rstd, int rstdOff,
                               float[] x, int xOff, float[] gamma, int gammaOff, float[] beta, int betaOff,
                               int m, int n, float eps) {
    for (int r = 0; r < m; r++) {
      int xr = xOff + r * n;
      // One pass of sums shifted by the first value, so a large mean does not cancel the variance.
      float k0 = x[xr];
      float s1 = 0;
      float s2 = 0;
      for (int j = 0; j < n; j++) {
        float d = x[xr + j] - k0;
        s1 += d;
        s2 += d * d;
      }
      float mu = s1 / n;
      float var = Math.max(0f, s2 / n - mu * mu);
      float mv = k0 + mu;
      float rs = (float) (1 / Math.sqrt(var + eps));
      if (mean != null) mean[meanOff + r] = mv;
      if (rstd != null) rstd[rstdOff + r] = rs;
      for (int j = 0; j < n; j++) {
        y[yOff + r * n + j] = (x[xr + j] - mv) * rs * gamma[gammaOff + j] + beta[betaOff + j];
      }
    }
  }

  @Override
  public void layerNormBackward(float[] dx, int dxOff, float[] dgamma, int dgammaOff, float[] dbeta, int dbetaOff,
                                float[] dy, int dyOff, float[] x, int xOff, float[] mean, int meanOff,
                                float[] rstd, int rstdOff, float[] gamma, int gammaOff, int m, int n,
                                boolean accumulate) {
    if (dgamma != null) java.util.Arrays.fill(dgamma, dgammaOff, dgammaOff + n, 0f);
    if (dbeta != null) java.util.Arrays.fill(dbeta, dbetaOff, dbetaOff + n, 0f);
    for (int r = 0; r < m; r++) {
      int xr = xOff + r * n;
      int dr = dyOff + r * n;
      float mu = mean[meanOff + r];
      float rs = rstd[rstdOff + r];
      float sg = 0;
      float sgx = 0;
      for (int j = 0; j < n; j++) {
        float xh = (x[xr + j] - mu) * rs;
        float g = dy[dr + j] * gamma[gammaOff + j];
        sg += g;
        sgx += g * xh;
        if (dgamma != null) dgamma[dgammaOff + j] += dy[dr + j] * xh;
        if (dbeta != null) dbeta[dbetaOff + j] += dy[dr + j];
      }
      if (dx == null) continue;
      float mg = sg / n;
      float mgx = sgx / n;
      for (int j = 0; j < n; j++) {
        float xh = (x[xr + j] - mu) * rs;
        float g = dy[dr + j] * gamma[gammaOff + j];
        float v = rs * (g - mg - xh * mgx);
        int at = dxOff + r * n + j;
        dx[at] = accumulate ? dx[at] + v : v;
      }
    }
  }

  /** The plain two-pass softmax per query row: the scores once for the maximum, once for the sums. */
  @Override
  public void attentionForward(float[] o, int oOff, float[] lse, int lseOff,
                               float[] q, int qOff, int qStride,
                               float[] k, int kOff, float[] v, int vOff, int kvStride, int kvBatchStride,
                               int batch, int tq, int tk, int heads, int headDim, boolean causal) {
    int d = headDim;
    float scale = (float) (1 / Math.sqrt(d));
    for (int b = 0; b < batch; b++) {
      for (int h = 0; h < heads; h++) {
        int kb = kOff + b * kvBatchStride + h * d;
        int vb = vOff + b * kvBatchStride + h * d;
        for (int i = 0; i < tq; i++) {
          int qr = qOff + (b * tq + i) * qStride + h * d;
          int or = oOff + (b * tq + i) * heads * d + h * d;
          int end = keyEnd(i, tq, tk, causal);
          java.util.Arrays.fill(o, or, or + d, 0f);
          float max = Float.NEGATIVE_INFINITY;
          for (int j = 0; j < end; j++) max = Math.max(max, dot(q, qr, k, kb + j * kvStride, d) * scale);
          float sum = 0;
          for (int j = 0; j < end; j++) {
            float e = (float) Math.exp(dot(q, qr, k, kb + j * kvStride, d) * scale - max);
            sum += e;
            for (int x = 0; x < d; x++) o[or + x] += e * v[vb + j * kvStride + x];
          }
          if (end > 0) {
            for (int x = 0; x < d; x++) o[or + x] /= sum;
          }
          if (lse != null) {
            lse[lseOff + (b * heads + h) * tq + i] = end > 0 ? max + (float) Math.log(sum) : Float.NEGATIVE_INFINITY;
          }
        }
      }
    }
  }

  private static float dot(float[] a, int ao, float[] b, int bo, int n) {
    float s = 0;
    for (int x = 0; x < n; x++) s += a[ao + x] * b[bo + x];
    return s;
  }

  @Override
  public void attentionBackward(float[] dq, int dqOff, float[] dk, int dkOff, float[] dv, int dvOff,
                                float[] dOut, int dOutOff, float[] o, int oOff, float[] lse, int lseOff,
                                float[] q, int qOff, int qStride, float[] k, int kOff, float[] v, int vOff,
                                int kvStride, int batch, int tq, int tk, int heads, int headDim, boolean causal) {
    int d = headDim;
    float scale = (float) (1 / Math.sqrt(d));
    for (int b = 0; b < batch; b++) {
      for (int h = 0; h < heads; h++) {
        int kb = kOff + b * tk * kvStride + h * d;
        int vb = vOff + b * tk * kvStride + h * d;
        int dkb = dkOff + b * tk * kvStride + h * d;
        int dvb = dvOff + b * tk * kvStride + h * d;
        for (int j = 0; j < tk; j++) {
          java.util.Arrays.fill(dk, dkb + j * kvStride, dkb + j * kvStride + d, 0f);
          java.util.Arrays.fill(dv, dvb + j * kvStride, dvb + j * kvStride + d, 0f);
        }
        for (int i = 0; i < tq; i++) {
          int qr = qOff + (b * tq + i) * qStride + h * d;
          int dqr = dqOff + (b * tq + i) * qStride + h * d;
          int or = oOff + (b * tq + i) * heads * d + h * d;
          int gr = dOutOff + (b * tq + i) * heads * d + h * d;
          int end = keyEnd(i, tq, tk, causal);
          java.util.Arrays.fill(dq, dqr, dqr + d, 0f);
          if (end <= 0) continue;
          float l = lse[lseOff + (b * heads + h) * tq + i];
          float dd = dot(dOut, gr, o, or, d);
          for (int j = 0; j < end; j++) {
            int kr = kb + j * kvStride;
            int vr = vb + j * kvStride;
            float p = (float) Math.exp(dot(q, qr, k, kr, d) * scale - l);
            float ds = p * (dot(dOut, gr, v, vr, d) - dd);
            for (int x = 0; x < d; x++) {
              dq[dqr + x] += ds * k[kr + x] * scale;
              dk[dkb + j * kvStride + x] += ds * q[qr + x] * scale;
              dv[dvb + j * kvStride + x] += p * dOut[gr + x];
            }
          }
        }
      }
    }
  }

  @Override
  public void copyRows(float[] dst, int dstOff, int dstStride, float[] src, int srcOff, int srcStride, int m, int c) {
    for (int r = 0; r < m; r++) System.arraycopy(src, srcOff + r * srcStride, dst, dstOff + r * dstStride, c);
  }
}
