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
}
