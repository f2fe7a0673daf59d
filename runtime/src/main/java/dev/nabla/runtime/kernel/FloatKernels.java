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
   * {@link #denseForward(float[], int, float[], int, float[], int, float[], int, float[], int, int, int,
   * int, int, float) denseForward} with a promise about W: a {@code weightsVersion} ≥ 0 says that W
   * at (w, wOff) is unchanged since the last call that passed the same version for it, so the
   * implementation may reuse the panels it packed from W then (a model's predictions between two
   * optimiser steps). −1 promises nothing. Implementations without packing ignore it.
   */
  default void denseForward(float[] y, int yOff, float[] z, int zOff,
                            float[] x, int xOff, float[] w, int wOff, float[] bias, int biasOff,
                            int m, int n, int k, int act, float actParam, long weightsVersion) {
    denseForward(y, yOff, z, zOff, x, xOff, w, wOff, bias, biasOff, m, n, k, act, actParam);
  }

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
  default float softmaxCrossEntropy(float[] probs, int probsOff, float[] dlogits, int dlogitsOff,
                            float[] logits, int logitsOff, int[] labels, int labelsOff, int m, int n) {
    return softmaxCrossEntropy(probs, probsOff, dlogits, dlogitsOff, logits, logitsOff, labels, labelsOff, m, n, 0);
  }

  /**
   * Softmax cross-entropy with label smoothing ε, as torch's {@code label_smoothing}: the target of
   * row r is t = (1 − ε)·onehot(label) + ε/n, the loss −Σ t·log softmax(logits), averaged over the
   * rows, and dlogits = (probs − t) / m. ε = 0 is {@link #softmaxCrossEntropy(
   * float[], int, float[], int, float[], int, int[], int, int, int)}.
   */
  float softmaxCrossEntropy(float[] probs, int probsOff, float[] dlogits, int dlogitsOff,
                            float[] logits, int logitsOff, int[] labels, int labelsOff, int m, int n,
                            float smoothing);

  /**
   * Binary cross-entropy on logits over m·n outputs, as torch.nn.BCEWithLogitsLoss (mean over every
   * output): returns mean(max(x, 0) − x·t + log(1 + e^−|x|)) and writes dlogits = (σ(x) − t) / (m·n)
   * (dlogits may be null). Targets are probabilities in [0, 1].
   */
  float binaryCrossEntropy(float[] dlogits, int dlogitsOff, float[] logits, int logitsOff,
                         float[] target, int targetOff, int m, int n);

  /**
   * The coupled weight decay of torch's optimisers ({@code weight_decay}), as one pass before the
   * update: grads = gradScale·grads + λ·params over [off, off + len).
   */
  void decayGradients(float[] grads, float[] params, int off, int len, float gradScale, float lambda);

  /**
   * Mean squared error over m·n outputs, as torch.nn.MSELoss: returns mean((pred − target)²) and
   * writes dpred = 2(pred − target) / (m·n).
   */
  float meanSquaredError(float[] dpred, int dpredOff, float[] pred, int predOff,
                         float[] target, int targetOff, int m, int n);

  /** The L2 norm of len gradients, accumulated in double: the global norm clipping divides by. */
  double gradNorm(float[] grads, int off, int len);

  /**
   * One fused SGD step over len parameters, as torch.optim.SGD (dampening 0, no weight decay), on the
   * gradient g = gradScale·grads (gradScale is the clip factor, 1 without clipping): with momentum
   * μ &gt; 0: v = μ·v + g; p −= lr·(nesterov ? g + μ·v : v). With μ = 0, p −= lr·g and velocity may be
   * null.
   */
  void sgdUpdate(float[] params, float[] grads, float[] velocity, int off, int len,
                 float learningRate, float momentum, boolean nesterov, float gradScale);

  /**
   * One fused Adam step over len parameters, as torch.optim.Adam (no weight decay), on g =
   * gradScale·grads: m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; p −= lr·m̂ / (√v̂ + ε) with the bias
   * corrections m̂ = m / (1−β1ᵗ), v̂ = v / (1−β2ᵗ). {@code step} is t, counting from 1.
   */
  void adamUpdate(float[] params, float[] grads, float[] m, float[] v, int off, int len,
                  float learningRate, float beta1, float beta2, float epsilon, long step, float gradScale);

  /** AdamW, as torch.optim.AdamW: p −= lr·λ·p (λ = weightDecay), then the Adam step. */
  void adamwUpdate(float[] params, float[] grads, float[] m, float[] v, int off, int len,
                   float learningRate, float beta1, float beta2, float epsilon, float weightDecay, long step, float gradScale);

  /** AdaGrad, as torch.optim.Adagrad (lr_decay 0): s = s + g²; p −= lr·g / (√s + ε). */
  void adagradUpdate(float[] params, float[] grads, float[] sum, int off, int len,
                     float learningRate, float epsilon, float gradScale);

  /**
   * RMSProp, as torch.optim.RMSprop: s = α·s + (1−α)·g²; centred when gradAvg is not null: ḡ =
   * α·ḡ + (1−α)·g and d = √(s − ḡ²) + ε, else d = √s + ε; with momentum μ &gt; 0: b = μ·b + g/d,
   * p −= lr·b (buffer may be null when μ = 0), else p −= lr·g/d.
   */
  void rmspropUpdate(float[] params, float[] grads, float[] squareAvg, float[] gradAvg, float[] buffer, int off, int len,
                     float learningRate, float alpha, float epsilon, float momentum, float gradScale);

  /**
   * AdaDelta, as torch.optim.Adadelta: s = ρ·s + (1−ρ)·g²; δ = √(u + ε) / √(s + ε)·g;
   * u = ρ·u + (1−ρ)·δ²; p −= lr·δ.
   */
  void adadeltaUpdate(float[] params, float[] grads, float[] squareAvg, float[] accDelta, int off, int len,
                      float learningRate, float rho, float epsilon, float gradScale);

  /** Adamax, as torch.optim.Adamax: m = β1·m + (1−β1)·g; u = max(β2·u, |g| + ε); p −= lr/(1−β1ᵗ)·m/u. */
  void adamaxUpdate(float[] params, float[] grads, float[] m, float[] u, int off, int len,
                    float learningRate, float beta1, float beta2, float epsilon, long step, float gradScale);

  /**
   * NAdam, as torch.optim.NAdam (1.13): with μₜ = β1·(1 − ½·0.96^(t·ψ)) and muProduct = μ₁·…·μₜ
   * (kept by the caller), m and v as Adam, d = √(v / (1−β2ᵗ)) + ε:
   * p −= lr·(1−μₜ)/(1−muProduct)·g/d + lr·μₜ₊₁/(1−muProduct·μₜ·μₜ₊₁)·m/d. The μₜ counted twice in the
   * last denominator is torch 1.13's (its {@code mu_product_next = mu_product * mu * mu_next}), kept for
   * parity.
   */
  void nadamUpdate(float[] params, float[] grads, float[] m, float[] v, int off, int len,
                   float learningRate, float beta1, float beta2, float epsilon, float momentumDecay, long step, double muProduct,
                   float gradScale);

  // ---- Sequence kernels (issue 5): embeddings, layer norm, attention -----------------------------

  /**
   * Token embedding: y[r, 0..c) = table[tok(r), 0..c) for the m rows r, where tok(r) is the token
   * id stored (as a whole number) at x[xOff + (r / t)·xStride + r % t]: t tokens per example, each
   * example's tokens starting xStride elements after the previous one's (a model with several inputs
   * lays them out one after another per example). A token that is not a whole number in [0, vocab)
   * (NaN included) is an IllegalArgumentException naming the example, the position and the value;
   * every token is checked before any output is written.
   */
  void embeddingForward(float[] y, int yOff, float[] table, int tableOff,
                        float[] x, int xOff, int xStride, int t, int m, int c, int vocab);

  /**
   * The backward of {@link #embeddingForward}: dtable = (accumulate ? dtable : 0), then
   * dtable[tok(r), :] += dy[r, :] for every row, in row order (repeated tokens sum). dtable is the
   * whole (vocab, c) table gradient. Tokens are checked as in {@link #embeddingForward}, before
   * dtable is touched.
   */
  void embeddingBackward(float[] dtable, int dtableOff, float[] dy, int dyOff,
                         float[] x, int xOff, int xStride, int t, int m, int c, int vocab, boolean accumulate);

  /**
   * Adds positions: y[r, :] = x[r, :] + table[start + r % t, :] for m rows of c, t rows per example.
   * y and x may be the same buffer at the same offset. {@code start} is the position of each example's
   * first row (0 in training; the decode position with a KV cache).
   */
  void addPositions(float[] y, int yOff, float[] x, int xOff, float[] table, int tableOff,
                    int start, int t, int m, int c);

  /**
   * The table gradient of {@link #addPositions} with start 0: dtable[p, :] = (accumulate ? dtable : 0)
   * + Σ over examples of dy[b·t + p, :], for p in [0, t). Rows of the table past t are left alone.
   */
  void positionsBackward(float[] dtable, int dtableOff, float[] dy, int dyOff, int t, int m, int c,
                         boolean accumulate);

  /**
   * Layer norm over each of m rows of n, as torch.nn.LayerNorm (biased variance, eps inside the
   * root): y = (x − μ)·rstd·gamma + beta with rstd = 1/√(σ² + eps). Writes μ and rstd per row into
   * mean and rstd when they are not null (the backward reads them). One pass over each row to compute
   * the statistics (sums of x − x₀ and (x − x₀)², x₀ the row's first value, so a large mean does not
   * cancel the variance; a variance rounded below 0 counts as 0), one to write y.
   */
  void layerNormForward(float[] y, int yOff, float[] mean, int meanOff, float[] rstd, int rstdOff,
                        float[] x, int xOff, float[] gamma, int gammaOff, float[] beta, int betaOff,
                        int m, int n, float eps);

  /**
   * The backward of {@link #layerNormForward}, from the saved μ and rstd: with x̂ = (x − μ)·rstd and
   * g = dy ⊙ gamma, dx = (accumulate ? dx : 0) + rstd·(g − mean(g) − x̂·mean(g ⊙ x̂)) per row;
   * dgamma = Σ_rows dy ⊙ x̂ and dbeta = Σ_rows dy (overwritten, not accumulated). dx may be null
   * (no gradient to the input), and so may dgamma and dbeta (each is then skipped). The order the rows
   * are summed in depends on the shape only (the SIMD kernel sums fixed blocks of rows, then the
   * blocks in order), never on the thread count, so results are reproducible.
   */
  void layerNormBackward(float[] dx, int dxOff, float[] dgamma, int dgammaOff, float[] dbeta, int dbetaOff,
                         float[] dy, int dyOff, float[] x, int xOff, float[] mean, int meanOff,
                         float[] rstd, int rstdOff, float[] gamma, int gammaOff, int m, int n, boolean accumulate);

  /**
   * Multi-head scaled dot-product attention, one pass per query row with an online softmax. For
   * example b, head h (columns h·d..h·d+d of q, k, v and o, d = headDim) and query row i:
   * s_j = q_i·k_j / √d for the keys j in [0, tk) (with {@code causal}, only j ≤ i + tk − tq, so a
   * single query at the end of a KV cache sees every key), p = softmax(s), o_i = Σ_j p_j·v_j.
   * Row (b, i) of q is at qOff + (b·tq + i)·qStride; row (b, j) of k at kOff + b·kvBatchStride +
   * j·kvStride, of v likewise from vOff; row (b, i) of o at oOff + (b·tq + i)·heads·d. If lse is not
   * null, lse[lseOff + (b·heads + h)·tq + i] receives log Σ_j e^{s_j} (the backward recomputes p
   * from it). Parallel over (b, h).
   *
   * <p>The causal mask is aligned to the bottom right, as flash-attention's and PyTorch's
   * {@code causal_lower_right}; with tq = tk it is {@code is_causal=True}. A query that sees no key
   * (causal with tq &gt; tk, i &lt; tq − tk) gets o_i = 0 and lse = −∞, where PyTorch would give NaN.
   * o must not overlap q, k or v.
   */
  void attentionForward(float[] o, int oOff, float[] lse, int lseOff,
                        float[] q, int qOff, int qStride,
                        float[] k, int kOff, float[] v, int vOff, int kvStride, int kvBatchStride,
                        int batch, int tq, int tk, int heads, int headDim, boolean causal);

  /**
   * The backward of {@link #attentionForward} (kvBatchStride = tk·kvStride), fused per query row:
   * with p_j = e^{s_j − lse_i}, D_i = dO_i·o_i, dp_j = dO_i·v_j, ds_j = p_j·(dp_j − D_i):
   * dq_i = Σ_j ds_j·k_j / √d, dk_j += ds_j·q_i / √d, dv_j += p_j·dO_i. dq, dk and dv are overwritten
   * (not accumulated) and laid out like q, k and v (dq with qStride, dk and dv with kvStride; they
   * may share one array, e.g. the gradient of a packed qkv buffer, but must not overlap each other or
   * the inputs). lse is required: the forward's. A query that sees no key gets dq_i = 0, a key no
   * query sees dk_j = dv_j = 0. Parallel over (b, h).
   */
  void attentionBackward(float[] dq, int dqOff, float[] dk, int dkOff, float[] dv, int dvOff,
                         float[] dOut, int dOutOff, float[] o, int oOff, float[] lse, int lseOff,
                         float[] q, int qOff, int qStride, float[] k, int kOff, float[] v, int vOff, int kvStride,
                         int batch, int tq, int tk, int heads, int headDim, boolean causal);

  /**
   * Copies m rows of c values between matrices with different row strides: dst[dstOff + r·dstStride
   * + j] = src[srcOff + r·srcStride + j] (used to append keys and values to a KV cache). Each row is
   * copied as by System.arraycopy, in row order.
   */
  void copyRows(float[] dst, int dstOff, int dstStride, float[] src, int srcOff, int srcStride, int m, int c);
}
