package dev.nabla.runtime.kernel;

/**
 * The float kernels the generated models call. Two implementations: {@code VectorFloatKernels}
 * (jdk.incubator.vector, split over all cores) and {@link ScalarFloatKernels} (plain loops: the
 * fallback when the incubator module is absent, and the test oracle of every SIMD kernel).
 * {@link Kernels#F32} holds the one picked at start-up.
 *
 * <p>Conventions, as in llm.c: outputs first, then inputs, then dimensions. Every matrix is dense
 * row-major and addressed as (array, offset). Rows are examples (m = batch rows). Activation codes
 * are {@link Act} constants. Methods never allocate after their first call on a thread and are
 * safe to call from several threads at once on disjoint outputs.
 */
public interface FloatKernels {

  /** A short description for logs: "vector (16 lanes, 2 threads)" or "scalar". */
  String describe();

  /**
   * Dense forward with fused epilogue: y[m,n] = act(x[m,k]·w[n,k]ᵀ + bias[n]). If {@code z} is not
   * null it receives the pre-activation x·wᵀ + bias (needed by the backward of GELU and Swish).
   * {@code bias} may be null (no bias). For {@link Act#SOFTMAX} the softmax runs over each row of n.
   */
  void denseForward(float[] y, int yOff, float[] z, int zOff,
                    float[] x, int xOff, float[] w, int wOff, float[] bias, int biasOff,
                    int m, int n, int k, int act, float actParam);

  /**
   * Dense backward to the input with the producer's activation derivative folded in:
   * dx[m,k] = (accumulate ? dx : 0) + dy[m,n]·w[n,k], then, unless act is {@link Act#NONE},
   * dx ⊙= act'(saved[m,k]) (for {@link Act#SOFTMAX}: dx = (dx − Σ dx·s) ⊙ s / T per row, s = saved).
   */
  void denseBackwardInput(float[] dx, int dxOff, float[] dy, int dyOff, float[] w, int wOff,
                          float[] saved, int savedOff,
                          int m, int n, int k, boolean accumulate, int act, float actParam);

  /**
   * Dense backward to the parameters: dw[n,k] = (accumulate ? dw : 0) + dy[m,n]ᵀ·x[m,k] and, if
   * {@code dbias} is not null, dbias[n] = (accumulate ? dbias : 0) + Σ_m dy[m,n].
   */
  void denseBackwardWeight(float[] dw, int dwOff, float[] dbias, int dbiasOff,
                           float[] dy, int dyOff, float[] x, int xOff,
                           int m, int n, int k, boolean accumulate);

  /** y[m,n] = act(x[m,n]) (softmax per row of n). y and x may be the same buffer at the same offset. */
  void activationForward(float[] y, int yOff, float[] x, int xOff, int m, int n, int act, float actParam);

  /**
   * dx[m,n] = (accumulate ? dx : 0) + dy ⊙ act'(saved) (softmax: the row-wise Jacobian product).
   * {@code saved} is the output or the input of the activation, per {@link Act#derivativeFromOutput}.
   */
  void activationBackward(float[] dx, int dxOff, float[] dy, int dyOff, float[] saved, int savedOff,
                          int m, int n, int act, float actParam, boolean accumulate);

  /** y[len] = a + b. */
  void add(float[] y, int yOff, float[] a, int aOff, float[] b, int bOff, int len);

  /** y[len] += x. */
  void accumulate(float[] y, int yOff, float[] x, int xOff, int len);

  /**
   * Copies a block of rows × cols between row-major matrices with different row lengths (concat
   * and its backward): dst[r·dstCols + c] (= or +=) src[r·srcCols + c].
   */
  void copyColumns(float[] dst, int dstOff, int dstCols, float[] src, int srcOff, int srcCols,
                   int rows, int cols, boolean accumulate);

  /**
   * Inverted dropout: mask[i] = 0 with probability rate, else 1/(1−rate); y = x ⊙ mask. The draw
   * for element i is a pure function of (seed, i), so results do not depend on the thread count.
   */
  void dropoutForward(float[] y, int yOff, float[] mask, int maskOff, float[] x, int xOff,
                      int len, float rate, long seed);

  /** dx[len] = (accumulate ? dx : 0) + dy ⊙ mask (the backward of dropout). */
  void multiply(float[] dx, int dxOff, float[] dy, int dyOff, float[] mask, int maskOff,
                int len, boolean accumulate);

  /**
   * Fused softmax + cross-entropy forward and backward over m rows of n logits: probs = softmax
   * (probs may be null), dlogits = (probs − onehot(label)) / m. Returns the mean loss over the rows.
   * A label outside [0, n) is an IllegalArgumentException naming the row.
   */
  float softmaxCrossEntropy(float[] probs, int probsOff, float[] dlogits, int dlogitsOff,
                            float[] logits, int logitsOff, int[] labels, int labelsOff, int m, int n);

  /**
   * Mean squared error over m·n outputs, as torch.nn.MSELoss: returns mean((pred − target)²) and
   * writes dpred = 2(pred − target) / (m·n).
   */
  float meanSquaredError(float[] dpred, int dpredOff, float[] pred, int predOff,
                         float[] target, int targetOff, int m, int n);

  /**
   * One fused SGD step over len parameters, as torch.optim.SGD (dampening 0, no weight decay):
   * with momentum μ &gt; 0: v = μ·v + g; p −= lr·(nesterov ? g + μ·v : v). With μ = 0, p −= lr·g and
   * velocity may be null.
   */
  void sgdUpdate(float[] params, float[] grads, float[] velocity, int off, int len,
                 float learningRate, float momentum, boolean nesterov);

  /**
   * One fused Adam step over len parameters, as torch.optim.Adam (no weight decay): m = β1·m +
   * (1−β1)·g; v = β2·v + (1−β2)·g²; p −= lr·m̂ / (√v̂ + ε) with the bias corrections m̂ = m / (1−β1ᵗ),
   * v̂ = v / (1−β2ᵗ). {@code step} is t, counting from 1.
   */
  void adamUpdate(float[] params, float[] grads, float[] m, float[] v, int off, int len,
                  float learningRate, float beta1, float beta2, float epsilon, long step);
}
