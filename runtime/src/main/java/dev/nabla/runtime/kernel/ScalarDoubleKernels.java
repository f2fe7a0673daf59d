package dev.nabla.runtime.kernel;

import dev.nabla.runtime.train.Schedules;

/**
 * The double-precision kernels: plain loops, favouring exactness over speed, since the double
 * models are the numerical reference (gradient checks against central differences).
 */
public final class ScalarDoubleKernels implements DoubleKernels {

  @Override
  public String describe() {
    return "scalar";
  }

  @Override
  public void denseForward(double[] y, int yOff, double[] z, int zOff,
                           double[] x, int xOff, double[] w, int wOff, double[] bias, int biasOff,
                           int m, int n, int k, int act, double actParam) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = bias == null ? 0 : bias[biasOff + j];
        for (int p = 0; p < k; p++) s += x[xOff + i * k + p] * w[wOff + j * k + p];
        if (z != null) z[zOff + i * n + j] = s;
        y[yOff + i * n + j] = s;
      }
    }
    activationForward(y, yOff, y, yOff, m, n, act, actParam);
  }

  @Override
  public void denseBackwardInput(double[] dx, int dxOff, double[] dy, int dyOff, double[] w, int wOff,
                                 double[] saved, int savedOff,
                                 int m, int n, int k, boolean accumulate, int act, double actParam) {
    for (int i = 0; i < m; i++) {
      for (int p = 0; p < k; p++) {
        double s = accumulate ? dx[dxOff + i * k + p] : 0;
        for (int j = 0; j < n; j++) s += dy[dyOff + i * n + j] * w[wOff + j * k + p];
        dx[dxOff + i * k + p] = s;
      }
    }
    if (act != Act.NONE) activationBackward(dx, dxOff, dx, dxOff, saved, savedOff, m, k, act, actParam, false);
  }

  @Override
  public void denseBackwardWeight(double[] dw, int dwOff, double[] dbias, int dbiasOff,
                                  double[] dy, int dyOff, double[] x, int xOff,
                                  int m, int n, int k, boolean accumulate) {
    for (int j = 0; j < n; j++) {
      for (int p = 0; p < k; p++) {
        double s = 0;
        for (int i = 0; i < m; i++) s += dy[dyOff + i * n + j] * x[xOff + i * k + p];
        dw[dwOff + j * k + p] = accumulate ? dw[dwOff + j * k + p] + s : s;
      }
    }
    if (dbias != null) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int i = 0; i < m; i++) s += dy[dyOff + i * n + j];
        dbias[dbiasOff + j] = accumulate ? dbias[dbiasOff + j] + s : s;
      }
    }
  }

  @Override
  public void activationForward(double[] y, int yOff, double[] x, int xOff, int m, int n, int act, double actParam) {
    if (act == Act.SOFTMAX) {
      for (int r = 0; r < m; r++) softmaxRow(y, yOff + r * n, x, xOff + r * n, n, actParam);
      return;
    }
    for (int i = 0; i < m * n; i++) y[yOff + i] = apply(x[xOff + i], act, actParam);
  }

  @Override
  public void activationBackward(double[] dx, int dxOff, double[] dy, int dyOff, double[] saved, int savedOff,
                                 int m, int n, int act, double actParam, boolean accumulate) {
    if (act == Act.SOFTMAX) {
      for (int r = 0; r < m; r++) {
        int d = dyOff + r * n;
        int s = savedOff + r * n;
        double dot = 0;
        for (int j = 0; j < n; j++) dot += dy[d + j] * saved[s + j];
        for (int j = 0; j < n; j++) {
          double v = (dy[d + j] - dot) * saved[s + j] / actParam;
          dx[dxOff + r * n + j] = accumulate ? dx[dxOff + r * n + j] + v : v;
        }
      }
      return;
    }
    for (int i = 0; i < m * n; i++) {
      double v = dy[dyOff + i] * derivative(saved[savedOff + i], act, actParam);
      dx[dxOff + i] = accumulate ? dx[dxOff + i] + v : v;
    }
  }

  static double apply(double x, int act, double p) {
    return switch (act) {
      case Act.NONE -> x;
      case Act.SIGMOID -> MathFunctions.sigmoid(x);
      case Act.TANH -> Math.tanh(x);
      case Act.RELU -> x > 0 ? x : 0;
      case Act.LEAKY_RELU -> x > 0 ? x : p * x;
      case Act.ELU -> x > 0 ? x : p * Math.expm1(x);
      case Act.SELU -> Act.SELU_SCALE * (x > 0 ? x : Act.SELU_ALPHA * Math.expm1(x));
      case Act.GELU -> MathFunctions.gelu(x);
      case Act.SWISH -> x * MathFunctions.sigmoid(x);
      default -> throw new IllegalArgumentException("not an element-wise activation: " + act);
    };
  }

  /** act' as a function of the saved value (the output, or the input for GELU and Swish). */
  static double derivative(double s, int act, double p) {
    return switch (act) {
      case Act.NONE -> 1;
      case Act.SIGMOID -> s * (1 - s);
      case Act.TANH -> 1 - s * s;
      case Act.RELU -> s > 0 ? 1 : 0;
      case Act.LEAKY_RELU -> s > 0 ? 1 : p;
      case Act.ELU -> s > 0 ? 1 : s + p;
      case Act.SELU -> (s > 0 ? Act.SELU_SCALE : s + Act.SELU_SCALE * Act.SELU_ALPHA);
      case Act.GELU -> MathFunctions.geluDerivative(s);
      case Act.SWISH -> {
        double g = MathFunctions.sigmoid(s);
        yield g * (1 + s * (1 - g));
      }
      default -> throw new IllegalArgumentException("not an element-wise activation: " + act);
    };
  }

  private static void softmaxRow(double[] y, int yo, double[] x, int xo, int n, double t) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < n; j++) max = Math.max(max, x[xo + j]);
    double sum = 0;
    for (int j = 0; j < n; j++) {
      double e = Math.exp((x[xo + j] - max) / t);
      y[yo + j] = e;
      sum += e;
    }
    for (int j = 0; j < n; j++) y[yo + j] /= sum;
  }

  @Override
  public void add(double[] y, int yOff, double[] a, int aOff, double[] b, int bOff, int len) {
    for (int i = 0; i < len; i++) y[yOff + i] = a[aOff + i] + b[bOff + i];
  }

  @Override
  public void accumulate(double[] y, int yOff, double[] x, int xOff, int len) {
    for (int i = 0; i < len; i++) y[yOff + i] += x[xOff + i];
  }

  @Override
  public void copyColumns(double[] dst, int dstOff, int dstCols, double[] src, int srcOff, int srcCols,
                          int rows, int cols, boolean accumulate) {
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        double v = src[srcOff + r * srcCols + c];
        int d = dstOff + r * dstCols + c;
        dst[d] = accumulate ? dst[d] + v : v;
      }
    }
  }

  @Override
  public void dropoutForward(double[] y, int yOff, double[] mask, int maskOff, double[] x, int xOff,
                             int len, double rate, long seed) {
    long mixed = MathFunctions.dropoutSeed(seed);
    double scale = 1.0 / (1.0 - rate);
    for (int i = 0; i < len; i++) {
      double keep = MathFunctions.dropoutUniform(mixed, i) >= (float) rate ? scale : 0;
      mask[maskOff + i] = keep;
      y[yOff + i] = x[xOff + i] * keep;
    }
  }

  @Override
  public void multiply(double[] dx, int dxOff, double[] dy, int dyOff, double[] mask, int maskOff,
                       int len, boolean accumulate) {
    for (int i = 0; i < len; i++) {
      double v = dy[dyOff + i] * mask[maskOff + i];
      dx[dxOff + i] = accumulate ? dx[dxOff + i] + v : v;
    }
  }

  @Override
  public double softmaxCrossEntropy(double[] probs, int probsOff, double[] dlogits, int dlogitsOff,
                                   double[] logits, int logitsOff, int[] labels, int labelsOff, int m, int n,
                                   double smoothing) {
    double off = smoothing / n, on = 1 - smoothing + off;
    checkLabels(labels, labelsOff, m, n);
    double loss = 0;
    for (int r = 0; r < m; r++) {
      int row = logitsOff + r * n;
      int label = labels[labelsOff + r];
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < n; j++) max = Math.max(max, logits[row + j]);
      double sum = 0;
      for (int j = 0; j < n; j++) sum += Math.exp(logits[row + j] - max);
      double mean = 0;
      if (smoothing != 0) {
        for (int j = 0; j < n; j++) mean += logits[row + j];
        mean /= n;
      }
      loss += max + Math.log(sum) - (1 - smoothing) * logits[row + label] - smoothing * mean;
      for (int j = 0; j < n; j++) {
        double p = Math.exp(logits[row + j] - max) / sum;
        if (probs != null) probs[probsOff + r * n + j] = p;
        if (dlogits != null) dlogits[dlogitsOff + r * n + j] = (p - (j == label ? on : off)) / m;
      }
    }
    return loss / m;
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
  public double meanSquaredError(double[] dpred, int dpredOff, double[] pred, int predOff,
                                double[] target, int targetOff, int m, int n) {
    int len = m * n;
    double scale = 2.0 / len;
    double sum = 0;
    for (int i = 0; i < len; i++) {
      double d = pred[predOff + i] - target[targetOff + i];
      sum += d * d;
      if (dpred != null) dpred[dpredOff + i] = scale * d;
    }
    return sum / len;
  }

  @Override
  public double binaryCrossEntropy(double[] dlogits, int dlogitsOff, double[] logits, int logitsOff,
                                double[] target, int targetOff, int m, int n) {
    int len = m * n;
    double scale = (1.0 / len);
    double sum = 0;
    for (int i = 0; i < len; i++) {
      double x = logits[logitsOff + i], t = target[targetOff + i];
      double e = Math.exp(-Math.abs(x));
      sum += Math.max(x, 0) - x * t + Math.log1p(e);
      if (dlogits != null) {
        double s = (x >= 0 ? 1 : e) / (1 + e);
        dlogits[dlogitsOff + i] = scale * (s - t);
      }
    }
    return (sum / len);
  }

  @Override
  public void decayGradients(double[] grads, double[] params, int off, int len, double gradScale, double lambda) {
    for (int i = off; i < off + len; i++) grads[i] = gradScale * grads[i] + lambda * params[i];
  }

  @Override
  public double gradNorm(double[] grads, int off, int len) {
    double sum = 0;
    for (int i = off; i < off + len; i++) sum += (double) grads[i] * grads[i];
    return Math.sqrt(sum);
  }

  @Override
  public void sgdUpdate(double[] params, double[] grads, double[] velocity, int off, int len,
                        double learningRate, double momentum, boolean nesterov, double gradScale) {
    for (int i = off; i < off + len; i++) {
      double g = gradScale * grads[i];
      if (momentum != 0) {
        double v = momentum * velocity[i] + g;
        velocity[i] = v;
        params[i] -= learningRate * (nesterov ? g + momentum * v : v);
      } else {
        params[i] -= learningRate * g;
      }
    }
  }

  @Override
  public void adamUpdate(double[] params, double[] grads, double[] m, double[] v, int off, int len,
                         double learningRate, double beta1, double beta2, double epsilon, long step, double gradScale) {
    adamwUpdate(params, grads, m, v, off, len, learningRate, beta1, beta2, epsilon, 0, step, gradScale);
  }

  @Override
  public void adamwUpdate(double[] params, double[] grads, double[] m, double[] v, int off, int len,
                          double learningRate, double beta1, double beta2, double epsilon, double weightDecay,
                          long step, double gradScale) {
    double correction1 = 1 - Math.pow(beta1, step);
    double correction2 = 1 - Math.pow(beta2, step);
    double stepSize = (learningRate / correction1);
    double invSqrtCorrection2 = (1 / Math.sqrt(correction2));
    double decay = (1 - (double) learningRate * weightDecay);
    for (int i = off; i < off + len; i++) {
      double g = gradScale * grads[i];
      double mi = beta1 * m[i] + (1 - beta1) * g;
      double vi = beta2 * v[i] + (1 - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] = params[i] * decay - stepSize * mi / (Math.sqrt(vi) * invSqrtCorrection2 + epsilon);
    }
  }

  @Override
  public void adagradUpdate(double[] params, double[] grads, double[] sum, int off, int len,
                            double learningRate, double epsilon, double gradScale) {
    for (int i = off; i < off + len; i++) {
      double g = gradScale * grads[i];
      double s = sum[i] + g * g;
      sum[i] = s;
      params[i] -= learningRate * g / (Math.sqrt(s) + epsilon);
    }
  }

  @Override
  public void rmspropUpdate(double[] params, double[] grads, double[] squareAvg, double[] gradAvg, double[] buffer,
                            int off, int len, double learningRate, double alpha, double epsilon, double momentum,
                            double gradScale) {
    double c = 1 - alpha;
    for (int i = off; i < off + len; i++) {
      double g = gradScale * grads[i];
      double s = alpha * squareAvg[i] + c * g * g;
      squareAvg[i] = s;
      double avg;
      if (gradAvg != null) {
        double a = alpha * gradAvg[i] + c * g;
        gradAvg[i] = a;
        avg = Math.sqrt(s - a * a) + epsilon;
      } else {
        avg = Math.sqrt(s) + epsilon;
      }
      if (momentum != 0) {
        double b = momentum * buffer[i] + g / avg;
        buffer[i] = b;
        params[i] -= learningRate * b;
      } else {
        params[i] -= learningRate * g / avg;
      }
    }
  }

  @Override
  public void adadeltaUpdate(double[] params, double[] grads, double[] squareAvg, double[] accDelta, int off, int len,
                             double learningRate, double rho, double epsilon, double gradScale) {
    double c = 1 - rho;
    for (int i = off; i < off + len; i++) {
      double g = gradScale * grads[i];
      double s = rho * squareAvg[i] + c * g * g;
      squareAvg[i] = s;
      double delta = Math.sqrt(accDelta[i] + epsilon) / Math.sqrt(s + epsilon) * g;
      accDelta[i] = rho * accDelta[i] + c * delta * delta;
      params[i] -= learningRate * delta;
    }
  }

  @Override
  public void adamaxUpdate(double[] params, double[] grads, double[] m, double[] u, int off, int len,
                           double learningRate, double beta1, double beta2, double epsilon, long step,
                           double gradScale) {
    double stepSize = (learningRate / (1 - Math.pow(beta1, step)));
    for (int i = off; i < off + len; i++) {
      double g = gradScale * grads[i];
      double mi = beta1 * m[i] + (1 - beta1) * g;
      double ui = Math.max(beta2 * u[i], Math.abs(g) + epsilon);
      m[i] = mi;
      u[i] = ui;
      params[i] -= stepSize * mi / ui;
    }
  }

  @Override
  public void nadamUpdate(double[] params, double[] grads, double[] m, double[] v, int off, int len,
                          double learningRate, double beta1, double beta2, double epsilon, double momentumDecay,
                          long step, double muProduct, double gradScale) {
    double mu = Schedules.nadamMu(beta1, momentumDecay, step);
    double muNext = Schedules.nadamMu(beta1, momentumDecay, step + 1);
    double gradCoef = (learningRate * (1 - mu) / (1 - muProduct));
    double momentCoef = (learningRate * muNext / (1 - muProduct * mu * muNext));
    double invSqrtCorrection2 = (1 / Math.sqrt(1 - Math.pow(beta2, step)));
    for (int i = off; i < off + len; i++) {
      double g = gradScale * grads[i];
      double mi = beta1 * m[i] + (1 - beta1) * g;
      double vi = beta2 * v[i] + (1 - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      double denom = Math.sqrt(vi) * invSqrtCorrection2 + epsilon;
      params[i] -= (gradCoef * g + momentCoef * mi) / denom;
    }
  }

  // ---- Sequence kernels ------------------------------------------------------------------------

  /**
   * The token of row r (example r / t, position r % t), checked: an IllegalArgumentException naming
   * the example, the position and the value when it is not a whole number in [0, vocab).
   */
  static int token(double[] x, int xOff, int xStride, int t, int r, int vocab) {
    int b = r / t;
    int p = r - b * t;
    double value = x[xOff + b * xStride + p];
    int id = (int) value;
    if (id != value || id < 0 || id >= vocab) {
      throw new IllegalArgumentException("token " + value + " at example " + b + ", position " + p
          + " is not a whole number in [0, " + vocab + ")");
    }
    return id;
  }

  /** Checks every token of m rows before any output is written. */
  static void checkTokens(double[] x, int xOff, int xStride, int t, int m, int vocab) {
    for (int r = 0; r < m; r++) token(x, xOff, xStride, t, r, vocab);
  }

  /** The end of the keys query i sees: tk, or i + tk − tq + 1 with the causal mask (at most tk). */
  static int keyEnd(int i, int tq, int tk, boolean causal) {
    return causal ? Math.min(tk, i + tk - tq + 1) : tk;
  }

  @Override
  public void embeddingForward(double[] y, int yOff, double[] table, int tableOff,
                               double[] x, int xOff, int xStride, int t, int m, int c, int vocab) {
    checkTokens(x, xOff, xStride, t, m, vocab);
    for (int r = 0; r < m; r++) {
      int id = token(x, xOff, xStride, t, r, vocab);
      System.arraycopy(table, tableOff + id * c, y, yOff + r * c, c);
    }
  }

  @Override
  public void embeddingBackward(double[] dtable, int dtableOff, double[] dy, int dyOff,
                                double[] x, int xOff, int xStride, int t, int m, int c, int vocab,
                                boolean accumulate) {
    checkTokens(x, xOff, xStride, t, m, vocab);
    if (!accumulate) java.util.Arrays.fill(dtable, dtableOff, dtableOff + vocab * c, 0.0);
    for (int r = 0; r < m; r++) {
      int row = dtableOff + token(x, xOff, xStride, t, r, vocab) * c;
      for (int j = 0; j < c; j++) dtable[row + j] += dy[dyOff + r * c + j];
    }
  }

  @Override
  public void addPositions(double[] y, int yOff, double[] x, int xOff, double[] table, int tableOff,
                           int start, int t, int m, int c) {
    for (int r = 0; r < m; r++) {
      int pos = tableOff + (start + r % t) * c;
      for (int j = 0; j < c; j++) y[yOff + r * c + j] = x[xOff + r * c + j] + table[pos + j];
    }
  }

  @Override
  public void positionsBackward(double[] dtable, int dtableOff, double[] dy, int dyOff, int t, int m, int c,
                                boolean accumulate) {
    for (int p = 0; p < t; p++) {
      for (int j = 0; j < c; j++) {
        double s = accumulate ? dtable[dtableOff + p * c + j] : 0;
        for (int r = p; r < m; r += t) s += dy[dyOff + r * c + j];
        dtable[dtableOff + p * c + j] = s;
      }
    }
  }

  @Override
  public void layerNormForward(double[] y, int yOff, double[] mean, int meanOff, double[] rstd, int rstdOff,
                               double[] x, int xOff, double[] gamma, int gammaOff, double[] beta, int betaOff,
                               int m, int n, double eps) {
    for (int r = 0; r < m; r++) {
      int xr = xOff + r * n;
      // One pass of sums shifted by the first value, so a large mean does not cancel the variance.
      double k0 = x[xr];
      double s1 = 0;
      double s2 = 0;
      for (int j = 0; j < n; j++) {
        double d = x[xr + j] - k0;
        s1 += d;
        s2 += d * d;
      }
      double mu = s1 / n;
      double var = Math.max(0.0, s2 / n - mu * mu);
      double mv = k0 + mu;
      double rs = 1 / Math.sqrt(var + eps);
      if (mean != null) mean[meanOff + r] = mv;
      if (rstd != null) rstd[rstdOff + r] = rs;
      for (int j = 0; j < n; j++) {
        y[yOff + r * n + j] = (x[xr + j] - mv) * rs * gamma[gammaOff + j] + beta[betaOff + j];
      }
    }
  }

  @Override
  public void layerNormBackward(double[] dx, int dxOff, double[] dgamma, int dgammaOff, double[] dbeta, int dbetaOff,
                                double[] dy, int dyOff, double[] x, int xOff, double[] mean, int meanOff,
                                double[] rstd, int rstdOff, double[] gamma, int gammaOff, int m, int n,
                                boolean accumulate) {
    if (dgamma != null) java.util.Arrays.fill(dgamma, dgammaOff, dgammaOff + n, 0.0);
    if (dbeta != null) java.util.Arrays.fill(dbeta, dbetaOff, dbetaOff + n, 0.0);
    for (int r = 0; r < m; r++) {
      int xr = xOff + r * n;
      int dr = dyOff + r * n;
      double mu = mean[meanOff + r];
      double rs = rstd[rstdOff + r];
      double sg = 0;
      double sgx = 0;
      for (int j = 0; j < n; j++) {
        double xh = (x[xr + j] - mu) * rs;
        double g = dy[dr + j] * gamma[gammaOff + j];
        sg += g;
        sgx += g * xh;
        if (dgamma != null) dgamma[dgammaOff + j] += dy[dr + j] * xh;
        if (dbeta != null) dbeta[dbetaOff + j] += dy[dr + j];
      }
      if (dx == null) continue;
      double mg = sg / n;
      double mgx = sgx / n;
      for (int j = 0; j < n; j++) {
        double xh = (x[xr + j] - mu) * rs;
        double g = dy[dr + j] * gamma[gammaOff + j];
        double v = rs * (g - mg - xh * mgx);
        int at = dxOff + r * n + j;
        dx[at] = accumulate ? dx[at] + v : v;
      }
    }
  }

  /** The plain two-pass softmax per query row: the scores once for the maximum, once for the sums. */
  @Override
  public void attentionForward(double[] o, int oOff, double[] lse, int lseOff,
                               double[] q, int qOff, int qStride,
                               double[] k, int kOff, double[] v, int vOff, int kvStride, int kvBatchStride,
                               int batch, int tq, int tk, int heads, int headDim, boolean causal) {
    int d = headDim;
    double scale = 1 / Math.sqrt(d);
    for (int b = 0; b < batch; b++) {
      for (int h = 0; h < heads; h++) {
        int kb = kOff + b * kvBatchStride + h * d;
        int vb = vOff + b * kvBatchStride + h * d;
        for (int i = 0; i < tq; i++) {
          int qr = qOff + (b * tq + i) * qStride + h * d;
          int or = oOff + (b * tq + i) * heads * d + h * d;
          int end = keyEnd(i, tq, tk, causal);
          java.util.Arrays.fill(o, or, or + d, 0.0);
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j < end; j++) max = Math.max(max, dot(q, qr, k, kb + j * kvStride, d) * scale);
          double sum = 0;
          for (int j = 0; j < end; j++) {
            double e = Math.exp(dot(q, qr, k, kb + j * kvStride, d) * scale - max);
            sum += e;
            for (int x = 0; x < d; x++) o[or + x] += e * v[vb + j * kvStride + x];
          }
          if (end > 0) {
            for (int x = 0; x < d; x++) o[or + x] /= sum;
          }
          if (lse != null) {
            lse[lseOff + (b * heads + h) * tq + i] = end > 0 ? max + Math.log(sum) : Double.NEGATIVE_INFINITY;
          }
        }
      }
    }
  }

  private static double dot(double[] a, int ao, double[] b, int bo, int n) {
    double s = 0;
    for (int x = 0; x < n; x++) s += a[ao + x] * b[bo + x];
    return s;
  }

  @Override
  public void attentionBackward(double[] dq, int dqOff, double[] dk, int dkOff, double[] dv, int dvOff,
                                double[] dOut, int dOutOff, double[] o, int oOff, double[] lse, int lseOff,
                                double[] q, int qOff, int qStride, double[] k, int kOff, double[] v, int vOff,
                                int kvStride, int batch, int tq, int tk, int heads, int headDim, boolean causal) {
    int d = headDim;
    double scale = 1 / Math.sqrt(d);
    for (int b = 0; b < batch; b++) {
      for (int h = 0; h < heads; h++) {
        int kb = kOff + b * tk * kvStride + h * d;
        int vb = vOff + b * tk * kvStride + h * d;
        int dkb = dkOff + b * tk * kvStride + h * d;
        int dvb = dvOff + b * tk * kvStride + h * d;
        for (int j = 0; j < tk; j++) {
          java.util.Arrays.fill(dk, dkb + j * kvStride, dkb + j * kvStride + d, 0.0);
          java.util.Arrays.fill(dv, dvb + j * kvStride, dvb + j * kvStride + d, 0.0);
        }
        for (int i = 0; i < tq; i++) {
          int qr = qOff + (b * tq + i) * qStride + h * d;
          int dqr = dqOff + (b * tq + i) * qStride + h * d;
          int or = oOff + (b * tq + i) * heads * d + h * d;
          int gr = dOutOff + (b * tq + i) * heads * d + h * d;
          int end = keyEnd(i, tq, tk, causal);
          java.util.Arrays.fill(dq, dqr, dqr + d, 0.0);
          if (end <= 0) continue;
          double l = lse[lseOff + (b * heads + h) * tq + i];
          double dd = dot(dOut, gr, o, or, d);
          for (int j = 0; j < end; j++) {
            int kr = kb + j * kvStride;
            int vr = vb + j * kvStride;
            double p = Math.exp(dot(q, qr, k, kr, d) * scale - l);
            double ds = p * (dot(dOut, gr, v, vr, d) - dd);
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
  public void copyRows(double[] dst, int dstOff, int dstStride, double[] src, int srcOff, int srcStride, int m, int c) {
    for (int r = 0; r < m; r++) System.arraycopy(src, srcOff + r * srcStride, dst, dstOff + r * dstStride, c);
  }
}
