package dev.nabla.runtime.kernel;

import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.EXP;
import static jdk.incubator.vector.VectorOperators.MAX;

import dev.nabla.runtime.parallel.Parallel;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sequence kernels of {@link VectorFloatKernels}: embeddings, positions, layer norm and
 * attention. One instance per calling thread: its fields are the current call's arguments, and it
 * is the {@link Parallel.Task} of that call. Vector code follows {@link VectorMath}'s rules: no
 * method takes or returns a vector or a mask, no vector is chosen by a branch, masks come from
 * {@link VectorMath#tail}, and no masked access starts past the end of an array.
 *
 * <p>Attention runs one task per (example, head). The task copies the head's keys into a per-thread
 * scratch transposed in tiles of {@link #TILE} keys ([tile][e][key], by gathers), so the scores of
 * a group of {@link #ROWS} queries against two blocks of one vector of keys are broadcast FMAs down
 * the head dimension at a constant stride, with no horizontal sums, each loaded key vector feeding
 * one FMA per query of the group; the values (and, in the backward, the keys, dk and dv) are copied
 * chunked ([chunk of the head dimension][key][lane]), so the loops over keys read them at a
 * constant stride too (the JIT drops their bounds checks) and need no masks; the products with them
 * (p·V, ds·K, and the dk and dv updates) also run a whole group of queries per loaded vector. The
 * forward keeps an online softmax per query row over the tiles (running maximum, running sum and
 * an output accumulator rescaled once per tile); the backward recomputes p from the saved
 * log-sum-exp, takes dp from the transposed values the same way, and accumulates dk and dv, which
 * belong to that task alone. Each task first reads all its query (and dO) rows in one pass, so
 * their cache misses overlap instead of stalling every query row.
 */
final class VectorSequence implements Parallel.Task {
  private static final int EMBED = 0;
  private static final int EMBED_BACKWARD = 1;
  private static final int POSITIONS = 2;
  private static final int POSITIONS_BACKWARD = 3;
  private static final int NORM = 4;
  private static final int NORM_BACKWARD = 5;
  private static final int ATTENTION = 6;
  private static final int ATTENTION_BACKWARD = 7;

  /** Element-wise kernels and layer norm go parallel from this many elements. */
  static final long PARALLEL_ELEMENTS = 1 << 16;
  /** Attention goes parallel from this many multiply-adds (batch·heads·tq·tk·headDim). */
  static final long PARALLEL_ATTENTION = 1 << 16;
  /**
   * Layer-norm backward: elements per block of rows. The blocks (and so the order dgamma and dbeta
   * are summed in) depend on the shape only, never on the thread count.
   */
  static final int NORM_BLOCK = 8192;
  /**
   * Attention: keys per step of the online softmax, a multiple of two vectors for up to 32 lanes
   * (wider species run attention on the scalar kernels). 64 keys × 4 bytes keeps the transposed
   * rows 256 bytes apart, so a tile of 32 rows spreads over L1 sets without conflicts.
   */
  static final int TILE = 64;
  /** The scalar attention for species too wide for {@link #TILE}. */
  private static final ScalarFloatKernels WIDE = new ScalarFloatKernels();

  private final VectorMath math;
  private final int lanes;

  private int mode;
  private int total;
  private int partSize;

  private float[] out;
  private int outOff;
  private float[] in;
  private int inOff;
  private float[] tab;
  private int tabOff;
  private float[] tokens;
  private int tokensOff;
  private int tokenStride;
  private float[] grad;
  private int gradOff;
  private float[] mean;
  private int meanOff;
  private float[] rstd;
  private int rstdOff;
  private float[] gamma;
  private int gammaOff;
  private float[] beta;
  private int betaOff;
  private int m;
  private int n;
  private int t;
  private int start;
  private int vocab;
  private float eps;
  private boolean accumulate;
  /** Layer-norm backward: per block, dgamma then dbeta partial sums, each padded to whole vectors. */
  private float[] partials = new float[0];
  private int paddedN;

  private float[] o;
  private int oOff;
  private float[] lse;
  private int lseOff;
  private float[] q;
  private int qOff;
  private int qStride;
  private float[] k;
  private int kOff;
  private float[] v;
  private int vOff;
  private int kvStride;
  private int kvBatchStride;
  private float[] dq;
  private int dqOff;
  private float[] dk;
  private int dkOff;
  private float[] dv;
  private int dvOff;
  private float[] dOut;
  private int dOutOff;
  private int batch;
  private int tq;
  private int tk;
  private int heads;
  private int headDim;
  private boolean causal;

  VectorSequence(VectorMath math) {
    this.math = math;
    this.lanes = math.sp().length();
  }

  // ---- calls -----------------------------------------------------------------------------------

  void embeddingForward(float[] y, int yOff, float[] table, int tableOff,
                        float[] x, int xOff, int xStride, int t, int m, int c, int vocab) {
    ScalarFloatKernels.checkTokens(x, xOff, xStride, t, m, vocab);
    setRows(EMBED, m, c, t);
    out = y;
    outOff = yOff;
    tab = table;
    tabOff = tableOff;
    tokens = x;
    tokensOff = xOff;
    tokenStride = xStride;
    byRows(m);
  }

  void embeddingBackward(float[] dtable, int dtableOff, float[] dy, int dyOff,
                         float[] x, int xOff, int xStride, int t, int m, int c, int vocab, boolean accumulate) {
    ScalarFloatKernels.checkTokens(x, xOff, xStride, t, m, vocab);
    setRows(EMBED_BACKWARD, m, c, t);
    out = dtable;
    outOff = dtableOff;
    in = dy;
    inOff = dyOff;
    tokens = x;
    tokensOff = xOff;
    tokenStride = xStride;
    this.vocab = vocab;
    this.accumulate = accumulate;
    // Split by columns (whole vectors): each part adds every row into its own columns, in row order.
    int threads = (long) (m + vocab) * c >= PARALLEL_ELEMENTS ? Parallel.threads() : 1;
    int vectors = (c + lanes - 1) / lanes;
    int perPart = ceilDiv(vectors, Math.min(threads, vectors)) * lanes;
    execute(c, Math.max(perPart, lanes));
  }

  void addPositions(float[] y, int yOff, float[] x, int xOff, float[] table, int tableOff,
                    int start, int t, int m, int c) {
    setRows(POSITIONS, m, c, t);
    out = y;
    outOff = yOff;
    in = x;
    inOff = xOff;
    tab = table;
    tabOff = tableOff;
    this.start = start;
    byRows(m);
  }

  void positionsBackward(float[] dtable, int dtableOff, float[] dy, int dyOff, int t, int m, int c,
                         boolean accumulate) {
    setRows(POSITIONS_BACKWARD, m, c, t);
    tab = dtable;
    tabOff = dtableOff;
    in = dy;
    inOff = dyOff;
    this.accumulate = accumulate;
    // Split by positions: each part owns its rows of the table.
    int threads = (long) m * c >= PARALLEL_ELEMENTS ? Parallel.threads() : 1;
    execute(t, ceilDiv(t, Math.min(threads, Math.max(1, t))));
  }

  void layerNormForward(float[] y, int yOff, float[] mean, int meanOff, float[] rstd, int rstdOff,
                        float[] x, int xOff, float[] gamma, int gammaOff, float[] beta, int betaOff,
                        int m, int n, float eps) {
    setRows(NORM, m, n, 1);
    out = y;
    outOff = yOff;
    in = x;
    inOff = xOff;
    this.mean = mean;
    this.meanOff = meanOff;
    this.rstd = rstd;
    this.rstdOff = rstdOff;
    this.gamma = gamma;
    this.gammaOff = gammaOff;
    this.beta = beta;
    this.betaOff = betaOff;
    this.eps = eps;
    byRows(m);
  }

  void layerNormBackward(float[] dx, int dxOff, float[] dgamma, int dgammaOff, float[] dbeta, int dbetaOff,
                         float[] dy, int dyOff, float[] x, int xOff, float[] mean, int meanOff,
                         float[] rstd, int rstdOff, float[] gamma, int gammaOff, int m, int n, boolean accumulate) {
    setRows(NORM_BACKWARD, m, n, 1);
    out = dx;
    outOff = dxOff;
    grad = dy;
    gradOff = dyOff;
    in = x;
    inOff = xOff;
    this.mean = mean;
    this.meanOff = meanOff;
    this.rstd = rstd;
    this.rstdOff = rstdOff;
    this.gamma = gamma;
    this.gammaOff = gammaOff;
    this.accumulate = accumulate;
    int blockRows = Math.max(8, ceilDiv(NORM_BLOCK, Math.max(1, n)));
    int blocks = ceilDiv(m, blockRows);
    paddedN = ceilDiv(n, lanes) * lanes;
    int need = blocks * 2 * paddedN;
    if (partials.length < need) partials = new float[need];
    total = m;
    partSize = blockRows;
    if ((long) m * n >= PARALLEL_ELEMENTS && blocks > 1) {
      Parallel.run(this, blocks);
    } else {
      for (int p = 0; p < blocks; p++) run(p);
    }
    reduceNormPartials(dgamma, dgammaOff, dbeta, dbetaOff, blocks);
    release();
  }

  void attentionForward(float[] o, int oOff, float[] lse, int lseOff, float[] q, int qOff, int qStride,
                        float[] k, int kOff, float[] v, int vOff, int kvStride, int kvBatchStride,
                        int batch, int tq, int tk, int heads, int headDim, boolean causal) {
    if (lanes > TILE / 2) {
      WIDE.attentionForward(o, oOff, lse, lseOff, q, qOff, qStride, k, kOff, v, vOff, kvStride, kvBatchStride,
          batch, tq, tk, heads, headDim, causal);
      return;
    }
    mode = ATTENTION;
    this.o = o;
    this.oOff = oOff;
    this.lse = lse;
    this.lseOff = lseOff;
    setAttention(q, qOff, qStride, k, kOff, v, vOff, kvStride, kvBatchStride, batch, tq, tk, heads, headDim, causal);
    runHeads();
  }

  void attentionBackward(float[] dq, int dqOff, float[] dk, int dkOff, float[] dv, int dvOff,
                         float[] dOut, int dOutOff, float[] o, int oOff, float[] lse, int lseOff,
                         float[] q, int qOff, int qStride, float[] k, int kOff, float[] v, int vOff, int kvStride,
                         int batch, int tq, int tk, int heads, int headDim, boolean causal) {
    if (lanes > TILE / 2) {
      WIDE.attentionBackward(dq, dqOff, dk, dkOff, dv, dvOff, dOut, dOutOff, o, oOff, lse, lseOff,
          q, qOff, qStride, k, kOff, v, vOff, kvStride, batch, tq, tk, heads, headDim, causal);
      return;
    }
    mode = ATTENTION_BACKWARD;
    this.dq = dq;
    this.dqOff = dqOff;
    this.dk = dk;
    this.dkOff = dkOff;
    this.dv = dv;
    this.dvOff = dvOff;
    this.dOut = dOut;
    this.dOutOff = dOutOff;
    this.o = o;
    this.oOff = oOff;
    this.lse = lse;
    this.lseOff = lseOff;
    setAttention(q, qOff, qStride, k, kOff, v, vOff, kvStride, tk * kvStride, batch, tq, tk, heads, headDim, causal);
    runHeads();
  }

  private void setRows(int mode, int m, int n, int t) {
    this.mode = mode;
    this.m = m;
    this.n = n;
    this.t = t;
  }

  private void setAttention(float[] q, int qOff, int qStride, float[] k, int kOff, float[] v, int vOff,
                            int kvStride, int kvBatchStride, int batch, int tq, int tk, int heads, int headDim,
                            boolean causal) {
    this.q = q;
    this.qOff = qOff;
    this.qStride = qStride;
    this.k = k;
    this.kOff = kOff;
    this.v = v;
    this.vOff = vOff;
    this.kvStride = kvStride;
    this.kvBatchStride = kvBatchStride;
    this.batch = batch;
    this.tq = tq;
    this.tk = tk;
    this.heads = heads;
    this.headDim = headDim;
    this.causal = causal;
  }

  /** Rows split evenly over the threads when the call is large, else one part. */
  private void byRows(int rows) {
    int threads = (long) rows * n >= PARALLEL_ELEMENTS ? Parallel.threads() : 1;
    execute(rows, ceilDiv(rows, Math.min(threads, Math.max(1, rows))));
  }

  private void execute(int total, int partSize) {
    this.total = total;
    this.partSize = Math.max(1, partSize);
    int parts = ceilDiv(total, this.partSize);
    if (parts > 1) {
      Parallel.run(this, parts);
    } else if (parts == 1) {
      run(0);
    }
    release();
  }

  private void runHeads() {
    int parts = batch * heads;
    long work = (long) parts * tq * tk * headDim;
    if (work >= PARALLEL_ATTENTION && parts > 1) {
      Parallel.run(this, parts);
    } else {
      for (int p = 0; p < parts; p++) run(p);
    }
    release();
  }

  /** Drops references so the task does not keep the caller's arrays alive. */
  private void release() {
    out = in = tab = tokens = grad = mean = rstd = gamma = beta = null;
    o = lse = q = k = v = dq = dk = dv = dOut = null;
  }

  private static int ceilDiv(int x, int y) {
    return (x + y - 1) / y;
  }

  @Override
  public void run(int part) {
    if (mode == ATTENTION || mode == ATTENTION_BACKWARD) {
      int b = part / heads;
      int h = part - b * heads;
      if (mode == ATTENTION) forwardHead(b, h);
      else backwardHead(b, h);
      return;
    }
    int lo = part * partSize;
    int hi = Math.min(total, lo + partSize);
    switch (mode) {
      case EMBED -> embedRows(lo, hi);
      case EMBED_BACKWARD -> embedColumns(lo, hi);
      case POSITIONS -> positionRows(lo, hi);
      case POSITIONS_BACKWARD -> positionSums(lo, hi);
      case NORM -> normRows(lo, hi);
      default -> normBackwardRows(part, lo, hi);
    }
  }

  // ---- embeddings and positions -----------------------------------------------------------------

  private int tokenOf(int r) {
    int b = r / t;
    return (int) tokens[tokensOff + b * tokenStride + r - b * t];
  }

  private void embedRows(int r0, int r1) {
    int c = n;
    for (int r = r0; r < r1; r++) System.arraycopy(tab, tabOff + tokenOf(r) * c, out, outOff + r * c, c);
  }

  /** dtable[:, c0..c1): zeroed unless accumulating, then every row added in row order. */
  private void embedColumns(int c0, int c1) {
    VectorSpecies<Float> sp = math.sp();
    int c = n;
    if (!accumulate) {
      for (int id = 0; id < vocab; id++) Arrays.fill(out, outOff + id * c + c0, outOff + id * c + c1, 0f);
    }
    int ln = sp.length();
    int body = c0 + sp.loopBound(c1 - c0);
    for (int r = 0; r < m; r++) {
      int row = outOff + tokenOf(r) * c;
      int dr = inOff + r * c;
      int j = c0;
      for (; j < body; j += ln) {
        FloatVector.fromArray(sp, out, row + j).add(FloatVector.fromArray(sp, in, dr + j)).intoArray(out, row + j);
      }
      for (; j < c1; j += ln) {
        VectorMask<Float> mk = math.tail(j, c1);
        FloatVector.fromArray(sp, out, row + j, mk).add(FloatVector.fromArray(sp, in, dr + j, mk))
            .intoArray(out, row + j, mk);
      }
    }
  }

  private void positionRows(int r0, int r1) {
    VectorSpecies<Float> sp = math.sp();
    int c = n;
    int ln = sp.length();
    int body = sp.loopBound(c);
    for (int r = r0; r < r1; r++) {
      int pos = tabOff + (start + r % t) * c;
      int xr = inOff + r * c;
      int yr = outOff + r * c;
      int j = 0;
      for (; j < body; j += ln) {
        FloatVector.fromArray(sp, in, xr + j).add(FloatVector.fromArray(sp, tab, pos + j)).intoArray(out, yr + j);
      }
      for (; j < c; j += ln) {
        VectorMask<Float> mk = math.tail(j, c);
        FloatVector.fromArray(sp, in, xr + j, mk).add(FloatVector.fromArray(sp, tab, pos + j, mk))
            .intoArray(out, yr + j, mk);
      }
    }
  }

  /** dtable[p] = (accumulate ? dtable[p] : 0) + Σ_b dy[b·t + p] for p in [p0, p1), examples in order. */
  private void positionSums(int p0, int p1) {
    VectorSpecies<Float> sp = math.sp();
    int c = n;
    FloatVector zero = FloatVector.zero(sp);
    VectorMask<Float> keep = sp.maskAll(accumulate);
    for (int p = p0; p < p1; p++) {
      int tr = tabOff + p * c;
      for (int j = 0; j < c; j += lanes) {
        VectorMask<Float> mk = math.tail(j, c);
        FloatVector acc = zero.blend(FloatVector.fromArray(sp, tab, tr + j, mk), keep);
        for (int r = p; r < m; r += t) acc = acc.add(FloatVector.fromArray(sp, in, inOff + r * c + j, mk));
        acc.intoArray(tab, tr + j, mk);
      }
    }
  }

  // ---- layer norm ----------------------------------------------------------------------------------

  /**
   * Rows [r0, r1) of the forward. Each loop runs whole vectors up to the last one, then the masked
   * tail as a second loop (at most one step), so the masks of the main steps cost nothing.
   */
  private void normRows(int r0, int r1) {
    VectorSpecies<Float> sp = math.sp();
    int ln = sp.length();
    int body = sp.loopBound(n);
    FloatVector zero = FloatVector.zero(sp);
    for (int r = r0; r < r1; r++) {
      int xr = inOff + r * n;
      int yr = outOff + r * n;
      // One pass of sums shifted by the first value, so a large mean does not cancel the variance.
      float k0 = in[xr];
      FloatVector s1 = zero;
      FloatVector s2 = zero;
      FloatVector s3 = zero;
      FloatVector s4 = zero;
      int j = 0;
      for (int body2 = n / (2 * ln) * (2 * ln); j < body2; j += 2 * ln) {
        FloatVector d = FloatVector.fromArray(sp, in, xr + j).sub(k0);
        FloatVector e = FloatVector.fromArray(sp, in, xr + j + ln).sub(k0);
        s1 = s1.add(d);
        s2 = d.fma(d, s2);
        s3 = s3.add(e);
        s4 = e.fma(e, s4);
      }
      for (; j < body; j += ln) {
        FloatVector d = FloatVector.fromArray(sp, in, xr + j).sub(k0);
        s1 = s1.add(d);
        s2 = d.fma(d, s2);
      }
      for (; j < n; j += ln) {
        VectorMask<Float> mk = math.tail(j, n);
        FloatVector d = FloatVector.fromArray(sp, in, xr + j, mk).sub(k0, mk);
        s1 = s1.add(d);
        s2 = d.fma(d, s2);
      }
      float mu = s1.add(s3).reduceLanes(ADD) / n;
      float var = Math.max(0f, s2.add(s4).reduceLanes(ADD) / n - mu * mu);
      float mv = k0 + mu;
      float rs = (float) (1 / Math.sqrt(var + eps));
      if (mean != null) mean[meanOff + r] = mv;
      if (rstd != null) rstd[rstdOff + r] = rs;
      j = 0;
      for (; j < body; j += ln) {
        FloatVector.fromArray(sp, in, xr + j).sub(mv).mul(rs)
            .fma(FloatVector.fromArray(sp, gamma, gammaOff + j), FloatVector.fromArray(sp, beta, betaOff + j))
            .intoArray(out, yr + j);
      }
      for (; j < n; j += ln) {
        VectorMask<Float> mk = math.tail(j, n);
        FloatVector.fromArray(sp, in, xr + j, mk).sub(mv).mul(rs)
            .fma(FloatVector.fromArray(sp, gamma, gammaOff + j, mk), FloatVector.fromArray(sp, beta, betaOff + j, mk))
            .intoArray(out, yr + j, mk);
      }
    }
  }

  /**
   * Rows [r0, r1) of block {@code block}: dx, and the block's dgamma and dbeta partial sums (whole
   * vectors, then the masked tail, as in {@link #normRows}).
   */
  private void normBackwardRows(int block, int r0, int r1) {
    VectorSpecies<Float> sp = math.sp();
    int ln = sp.length();
    int body = sp.loopBound(n);
    FloatVector zero = FloatVector.zero(sp);
    VectorMask<Float> keep = sp.maskAll(accumulate);
    int pg = block * 2 * paddedN;
    int pb = pg + paddedN;
    float[] part = partials;
    Arrays.fill(part, pg, pg + 2 * paddedN, 0f);
    for (int r = r0; r < r1; r++) {
      int xr = inOff + r * n;
      int dr = gradOff + r * n;
      float mu = mean[meanOff + r];
      float rs = rstd[rstdOff + r];
      FloatVector a1 = zero;
      FloatVector a2 = zero;
      int j = 0;
      for (; j < body; j += ln) {
        FloatVector xh = FloatVector.fromArray(sp, in, xr + j).sub(mu).mul(rs);
        FloatVector dy = FloatVector.fromArray(sp, grad, dr + j);
        FloatVector g = dy.mul(FloatVector.fromArray(sp, gamma, gammaOff + j));
        a1 = a1.add(g);
        a2 = g.fma(xh, a2);
        dy.fma(xh, FloatVector.fromArray(sp, part, pg + j)).intoArray(part, pg + j);
        dy.add(FloatVector.fromArray(sp, part, pb + j)).intoArray(part, pb + j);
      }
      // Masked lanes load 0, so g and dy are 0 there and add nothing.
      for (; j < n; j += ln) {
        VectorMask<Float> mk = math.tail(j, n);
        FloatVector xh = FloatVector.fromArray(sp, in, xr + j, mk).sub(mu).mul(rs);
        FloatVector dy = FloatVector.fromArray(sp, grad, dr + j, mk);
        FloatVector g = dy.mul(FloatVector.fromArray(sp, gamma, gammaOff + j, mk));
        a1 = a1.add(g);
        a2 = g.fma(xh, a2);
        dy.fma(xh, FloatVector.fromArray(sp, part, pg + j)).intoArray(part, pg + j);
        dy.add(FloatVector.fromArray(sp, part, pb + j)).intoArray(part, pb + j);
      }
      if (out == null) continue;
      float mg = a1.reduceLanes(ADD) / n;
      float mgx = a2.reduceLanes(ADD) / n;
      int xo = outOff + r * n;
      j = 0;
      for (; j < body; j += ln) {
        FloatVector xh = FloatVector.fromArray(sp, in, xr + j).sub(mu).mul(rs);
        FloatVector g = FloatVector.fromArray(sp, grad, dr + j).mul(FloatVector.fromArray(sp, gamma, gammaOff + j));
        g.sub(mg).sub(xh.mul(mgx)).mul(rs).add(FloatVector.fromArray(sp, out, xo + j), keep).intoArray(out, xo + j);
      }
      for (; j < n; j += ln) {
        VectorMask<Float> mk = math.tail(j, n);
        FloatVector xh = FloatVector.fromArray(sp, in, xr + j, mk).sub(mu).mul(rs);
        FloatVector g = FloatVector.fromArray(sp, grad, dr + j, mk).mul(FloatVector.fromArray(sp, gamma, gammaOff + j, mk));
        g.sub(mg).sub(xh.mul(mgx)).mul(rs).add(FloatVector.fromArray(sp, out, xo + j, mk), keep)
            .intoArray(out, xo + j, mk);
      }
    }
  }

  /** dgamma and dbeta: the blocks' partial sums, added in block order. */
  private void reduceNormPartials(float[] dgamma, int dgammaOff, float[] dbeta, int dbetaOff, int blocks) {
    VectorSpecies<Float> sp = math.sp();
    FloatVector zero = FloatVector.zero(sp);
    float[] part = partials;
    int stride = 2 * paddedN;
    for (int j = 0; j < n; j += lanes) {
      VectorMask<Float> mk = math.tail(j, n);
      FloatVector g = zero;
      FloatVector b = zero;
      for (int p = 0; p < blocks; p++) {
        g = g.add(FloatVector.fromArray(sp, part, p * stride + j));
        b = b.add(FloatVector.fromArray(sp, part, p * stride + paddedN + j));
      }
      if (dgamma != null) g.intoArray(dgamma, dgammaOff + j, mk);
      if (dbeta != null) b.intoArray(dbeta, dbetaOff + j, mk);
    }
  }

  // ---- attention -----------------------------------------------------------------------------------

  /**
   * The head's rows [0, rows) of src (d values each, stride apart) transposed into tiles of {@link
   * #TILE} keys: dst[(j / TILE)·TILE·d + e·TILE + j % TILE] = src[base + j·stride + e], by gathers
   * of one block of keys (the last one masked). Keys past rows in the last tile are 0.
   */
  private void transposeTiles(float[] src, int base, int stride, float[] dst, int rows, int d, VectorScratch s) {
    VectorSpecies<Float> sp = math.sp();
    int ln = sp.length();
    int[] idx = s.keyIndex(ln, stride, rows % ln);
    VectorMask<Float> tail = math.tail(0, rows % ln);
    for (int t0 = 0; t0 < rows; t0 += TILE) {
      int n = Math.min(TILE, rows - t0);
      int tb = t0 * d;
      int full = n / ln * ln;
      for (int j0 = 0; j0 < full; j0 += ln) {
        int from = base + (t0 + j0) * stride;
        for (int e = 0; e < d; e++) FloatVector.fromArray(sp, src, from + e, idx, 0).intoArray(dst, tb + e * TILE + j0);
      }
      if (full < n) {
        int from = base + (t0 + full) * stride;
        for (int e = 0; e < d; e++) {
          FloatVector.fromArray(sp, src, from + e, idx, ln, tail).intoArray(dst, tb + e * TILE + full);
        }
      }
      int filled = ceilDiv(n, ln) * ln;
      if (filled < TILE) {
        for (int e = 0; e < d; e++) Arrays.fill(dst, tb + e * TILE + filled, tb + e * TILE + TILE, 0f);
      }
    }
  }

  /**
   * The head's rows [0, rows) of src chunked: chunk c (one vector of the head dimension) of row j at
   * dst[c·rows·L + j·L], the lanes past d zero. Loops over the keys then index dst with a constant
   * stride, which lets the JIT drop their bounds checks and needs no masks.
   */
  private void chunkRows(float[] src, int base, int stride, float[] dst, int rows, int d) {
    VectorSpecies<Float> sp = math.sp();
    int ln = sp.length();
    int cs = rows * ln;
    for (int c = 0; c < d; c += ln) {
      VectorMask<Float> mk = math.tail(c, d);
      int at = (c / ln) * cs;
      int r = base + c;
      for (int j = 0; j < rows; j++, r += stride) FloatVector.fromArray(sp, src, r, mk).intoArray(dst, at + j * ln);
    }
  }

  /**
   * rows rows of d values (stride apart from base) times f into dst[at + i·dPad], padded with zeros
   * to whole vectors: one pass that reads every row before any is used, so the rows' cache misses
   * overlap instead of stalling each query row in turn.
   */
  private void loadRows(float[] src, int base, int stride, float f, float[] dst, int at, int rows, int d) {
    VectorSpecies<Float> sp = math.sp();
    int ln = sp.length();
    int dPad = ceilDiv(d, ln) * ln;
    for (int c = 0; c < d; c += ln) {
      VectorMask<Float> mk = math.tail(c, d);
      int r = base + c;
      int o = at + c;
      for (int i = 0; i < rows; i++, r += stride, o += dPad) FloatVector.fromArray(sp, src, r, mk).mul(f).intoArray(dst, o);
    }
  }

  /** dst[at + i] = Σ_e a[aAt + i·dPad + e]·b[base + i·stride + e] for each of rows rows (a padded with zeros). */
  private void rowDots(float[] a, int aAt, float[] b, int base, int stride, float[] dst, int at, int rows, int d) {
    VectorSpecies<Float> sp = math.sp();
    int ln = sp.length();
    int dPad = ceilDiv(d, ln) * ln;
    FloatVector zero = FloatVector.zero(sp);
    for (int i = 0; i < rows; i++) {
      FloatVector acc = zero;
      for (int c = 0; c < d; c += ln) {
        acc = FloatVector.fromArray(sp, b, base + i * stride + c, math.tail(c, d))
            .fma(FloatVector.fromArray(sp, a, aAt + i * dPad + c), acc);
      }
      dst[at + i] = acc.reduceLanes(ADD);
    }
  }

  /** The inverse of {@link #chunkRows}: rows [0, rows) of dst, d values each, from the chunks. */
  private void unchunkRows(float[] src, float[] dst, int base, int stride, int rows, int d) {
    VectorSpecies<Float> sp = math.sp();
    int ln = sp.length();
    int cs = rows * ln;
    for (int c = 0; c < d; c += ln) {
      VectorMask<Float> mk = math.tail(c, d);
      int at = (c / ln) * cs;
      int r = base + c;
      for (int j = 0; j < rows; j++, r += stride) FloatVector.fromArray(sp, src, at + j * ln).intoArray(dst, r, mk);
    }
  }

  /**
   * Query rows per group: the attention kernels run {@code ROWS} query rows together, so each key or
   * value vector they load feeds {@code ROWS} FMAs (one per row) instead of one. Register tiles stay
   * at 8 accumulators (4 rows × 2 vectors), which fit 16 registers.
   */
  static final int ROWS = 4;

  /** The first query row that sees a key (keyEnd is non-decreasing in the row). */
  private int firstRow() {
    int first = 0;
    while (first < tq && ScalarFloatKernels.keyEnd(first, tq, tk, causal) <= 0) first++;
    return first;
  }

  /**
   * One (example, head): groups of {@link #ROWS} query rows, each an online softmax over tiles of
   * {@link #TILE} keys. Per tile: the scores of the group's rows against the tile's keys up to the
   * group's last key ({@link #groupScores}), per row the keys past its own end masked, one maximum
   * over the tile and p = e^{s − max}, the row's output accumulator rescaled once, then p·V added
   * for the whole group ({@link #groupAccumulate}). A short last group is padded with zero query
   * rows, which are computed and dropped. The logarithms of lse wait until every row is done.
   *
   * <p>This method holds no vector; each phase is a method of its own (see {@link #backwardHead}).
   */
  private void forwardHead(int b, int h) {
    int ln = lanes;
    int d = headDim;
    int chunks = ceilDiv(d, ln);
    int dPad = chunks * ln;
    int cs = tk * ln;
    int first = firstRow();
    int tqPad = first + ceilDiv(tq - first, ROWS) * ROWS;
    VectorScratch s = VectorScratch.get();
    // the row buffer: the group's accumulators, scores, maxima and sums, each row's sum, then every
    // query row of the head, scaled and padded with zero rows to whole groups
    int acc = 0;
    int sAt = acc + ROWS * dPad;
    int maxAt = sAt + ROWS * TILE;
    int sumsAt = maxAt + ROWS;
    int rowSumAt = sumsAt + ROWS;
    int qsAt = rowSumAt + tqPad;
    s.ensureAttention(ceilDiv(tk, TILE) * TILE * d, chunks * cs, false, qsAt + tqPad * dPad);
    float[] buf = s.rowBuf;
    transposeTiles(k, kOff + b * kvBatchStride + h * d, kvStride, s.keysT, tk, d, s);
    chunkRows(v, vOff + b * kvBatchStride + h * d, kvStride, s.rowsA, tk, d);
    float scale = (float) (1 / Math.sqrt(d));
    loadRows(q, qOff + b * tq * qStride + h * d, qStride, scale, buf, qsAt, tq, d);
    Arrays.fill(buf, qsAt + tq * dPad, qsAt + tqPad * dPad, 0f);
    int width = heads * d;
    int lseRow = lseOff + (b * heads + h) * tq;
    for (int i = 0; i < first; i++) {
      int or = oOff + (b * tq + i) * width + h * d;
      Arrays.fill(o, or, or + d, 0f);
      if (lse != null) lse[lseRow + i] = Float.NEGATIVE_INFINITY;
    }
    for (int i0 = first; i0 < tq; i0 += ROWS) {
      int real = Math.min(ROWS, tq - i0);
      int groupEnd = ScalarFloatKernels.keyEnd(i0 + real - 1, tq, tk, causal);
      int qg = qsAt + i0 * dPad;
      Arrays.fill(buf, acc, acc + ROWS * dPad, 0f);
      Arrays.fill(buf, maxAt, maxAt + ROWS, Float.NEGATIVE_INFINITY);
      Arrays.fill(buf, sumsAt, sumsAt + ROWS, 0f);
      for (int t0 = 0; t0 < groupEnd; t0 += TILE) {
        int nk = Math.min(groupEnd, t0 + TILE) - t0;
        int pairs = ceilDiv(nk, 2 * ln);
        groupScores(s.keysT, buf, qg, dPad, sAt, t0 * d, pairs, d);
        for (int r = 0; r < ROWS; r++) {
          // padding rows take the group's keys: their scores are 0, never all −∞
          int end = r < real ? ScalarFloatKernels.keyEnd(i0 + r, tq, tk, causal) : groupEnd;
          int nkr = Math.min(end, t0 + TILE) - t0;
          int row = sAt + r * TILE;
          float max = buf[maxAt + r];
          float newMax = Math.max(max, maskedMax(buf, row, 2 * pairs, nkr));
          // the first tile rescales nothing (sum and accumulator are 0)
          float alpha = max == Float.NEGATIVE_INFINITY ? 0f : newMax == max ? 1f : (float) Math.exp(max - newMax);
          buf[maxAt + r] = newMax;
          buf[sumsAt + r] = buf[sumsAt + r] * alpha + expTile(buf, row, 2 * pairs, newMax);
          // alpha = 0 only on the first tile, whose accumulator is still 0
          if (alpha != 1f && alpha != 0f) scaleRow(buf, acc + r * dPad, alpha, dPad);
        }
        groupAccumulate(s.rowsA, buf, acc, dPad, sAt, t0 * ln, nk, chunks, cs);
      }
      for (int r = 0; r < real; r++) {
        int i = i0 + r;
        float sum = buf[sumsAt + r];
        storeScaled(buf, acc + r * dPad, 1f / sum, o, oOff + (b * tq + i) * width + h * d, d);
        buf[rowSumAt + i] = sum;
        if (lse != null) lse[lseRow + i] = buf[maxAt + r];
      }
    }
    if (lse != null) {
      for (int i = first; i < tq; i++) {
        if (buf[rowSumAt + i] > 0) lse[lseRow + i] += (float) Math.log(buf[rowSumAt + i]);
      }
    }
  }

  /**
   * s[r][j] = Σ_e x[r][e]·kt[e][j] for the {@link #ROWS} rows at xAt (dPad apart) and 2·pairs blocks
   * of keys of one tile (tb = the tile's start in the transposed array), into buf[sAt + r·TILE + j]:
   * per pass, two blocks of keys for every row, so each loaded key vector feeds {@link #ROWS} FMAs.
   * Tiles hold a whole number of block pairs (zero past the keys), so a pair never leaves the tile.
   */
  private void groupScores(float[] kt, float[] buf, int xAt, int dPad, int sAt, int tb, int pairs, int d) {
    VectorSpecies<Float> sp = math.sp();
    int ln = sp.length();
    FloatVector zero = FloatVector.zero(sp);
    int x1 = xAt + dPad;
    int x2 = x1 + dPad;
    int x3 = x2 + dPad;
    for (int pr = 0; pr < pairs; pr++) {
      int base = tb + 2 * pr * ln;
      FloatVector a0 = zero;
      FloatVector b0 = zero;
      FloatVector a1 = zero;
      FloatVector b1 = zero;
      FloatVector a2 = zero;
      FloatVector b2 = zero;
      FloatVector a3 = zero;
      FloatVector b3 = zero;
      for (int e = 0; e < d; e++) {
        int at = base + e * TILE;
        FloatVector k0 = FloatVector.fromArray(sp, kt, at);
        FloatVector k1 = FloatVector.fromArray(sp, kt, at + ln);
        FloatVector r0 = FloatVector.broadcast(sp, buf[xAt + e]);
        a0 = k0.fma(r0, a0);
        b0 = k1.fma(r0, b0);
        FloatVector r1 = FloatVector.broadcast(sp, buf[x1 + e]);
        a1 = k0.fma(r1, a1);
        b1 = k1.fma(r1, b1);
        FloatVector r2 = FloatVector.broadcast(sp, buf[x2 + e]);
        a2 = k0.fma(r2, a2);
        b2 = k1.fma(r2, b2);
        FloatVector r3 = FloatVector.broadcast(sp, buf[x3 + e]);
        a3 = k0.fma(r3, a3);
        b3 = k1.fma(r3, b3);
      }
      int o0 = sAt + 2 * pr * ln;
      a0.intoArray(buf, o0);
      b0.intoArray(buf, o0 + ln);
      a1.intoArray(buf, o0 + TILE);
      b1.intoArray(buf, o0 + TILE + ln);
      a2.intoArray(buf, o0 + 2 * TILE);
      b2.intoArray(buf, o0 + 2 * TILE + ln);
      a3.intoArray(buf, o0 + 3 * TILE);
      b3.intoArray(buf, o0 + 3 * TILE + ln);
    }
  }

  /**
   * acc[r] += Σ_j w[r][j]·x_j for the {@link #ROWS} accumulators at accAt (dPad apart), the weights
   * at wAt (TILE apart) and the tile's nk chunked rows x_j (kt0 = the tile's first key times L):
   * four rows by two chunks of the head dimension per pass, so each loaded vector feeds four FMAs.
   */
  private void groupAccumulate(float[] xs, float[] buf, int accAt, int dPad, int wAt, int kt0, int nk,
                               int chunks, int cs) {
    VectorSpecies<Float> sp = math.sp();
    int ln = sp.length();
    int w1 = wAt + TILE;
    int w2 = w1 + TILE;
    int w3 = w2 + TILE;
    int c = 0;
    for (int chunks2 = chunks & ~1; c < chunks2; c += 2) {
      int base0 = c * cs + kt0;
      int base1 = base0 + cs;
      int at = accAt + c * ln;
      FloatVector a0 = FloatVector.fromArray(sp, buf, at);
      FloatVector b0 = FloatVector.fromArray(sp, buf, at + ln);
      FloatVector a1 = FloatVector.fromArray(sp, buf, at + dPad);
      FloatVector b1 = FloatVector.fromArray(sp, buf, at + dPad + ln);
      FloatVector a2 = FloatVector.fromArray(sp, buf, at + 2 * dPad);
      FloatVector b2 = FloatVector.fromArray(sp, buf, at + 2 * dPad + ln);
      FloatVector a3 = FloatVector.fromArray(sp, buf, at + 3 * dPad);
      FloatVector b3 = FloatVector.fromArray(sp, buf, at + 3 * dPad + ln);
      for (int j = 0; j < nk; j++) {
        FloatVector x0 = FloatVector.fromArray(sp, xs, base0 + j * ln);
        FloatVector x1 = FloatVector.fromArray(sp, xs, base1 + j * ln);
        FloatVector p0 = FloatVector.broadcast(sp, buf[wAt + j]);
        a0 = x0.fma(p0, a0);
        b0 = x1.fma(p0, b0);
        FloatVector p1 = FloatVector.broadcast(sp, buf[w1 + j]);
        a1 = x0.fma(p1, a1);
        b1 = x1.fma(p1, b1);
        FloatVector p2 = FloatVector.broadcast(sp, buf[w2 + j]);
        a2 = x0.fma(p2, a2);
        b2 = x1.fma(p2, b2);
        FloatVector p3 = FloatVector.broadcast(sp, buf[w3 + j]);
        a3 = x0.fma(p3, a3);
        b3 = x1.fma(p3, b3);
      }
      a0.intoArray(buf, at);
      b0.intoArray(buf, at + ln);
      a1.intoArray(buf, at + dPad);
      b1.intoArray(buf, at + dPad + ln);
      a2.intoArray(buf, at + 2 * dPad);
      b2.intoArray(buf, at + 2 * dPad + ln);
      a3.intoArray(buf, at + 3 * dPad);
      b3.intoArray(buf, at + 3 * dPad + ln);
    }
    for (; c < chunks; c++) {
      int base0 = c * cs + kt0;
      int at = accAt + c * ln;
      FloatVector a0 = FloatVector.fromArray(sp, buf, at);
      FloatVector a1 = FloatVector.fromArray(sp, buf, at + dPad);
      FloatVector a2 = FloatVector.fromArray(sp, buf, at + 2 * dPad);
      FloatVector a3 = FloatVector.fromArray(sp, buf, at + 3 * dPad);
      for (int j = 0; j < nk; j++) {
        FloatVector x0 = FloatVector.fromArray(sp, xs, base0 + j * ln);
        a0 = x0.fma(FloatVector.broadcast(sp, buf[wAt + j]), a0);
        a1 = x0.fma(FloatVector.broadcast(sp, buf[w1 + j]), a1);
        a2 = x0.fma(FloatVector.broadcast(sp, buf[w2 + j]), a2);
        a3 = x0.fma(FloatVector.broadcast(sp, buf[w3 + j]), a3);
      }
      a0.intoArray(buf, at);
      a1.intoArray(buf, at + dPad);
      a2.intoArray(buf, at + 2 * dPad);
      a3.intoArray(buf, at + 3 * dPad);
    }
  }

  /**
   * dst_j += Σ_r w[r][j]·x[r] for the tile's nk chunked rows dst_j (kt0 = the tile's first key
   * times L), the {@link #ROWS} rows x at xAt (dPad apart, held in registers one chunk pair at a
   * time) and the weights at wAt (TILE apart): each dst vector is loaded and stored once for four FMAs.
   */
  private void groupUpdate(float[] dst, float[] buf, int xAt, int dPad, int wAt, int kt0, int nk,
                           int chunks, int cs) {
    VectorSpecies<Float> sp = math.sp();
    int ln = sp.length();
    int w1 = wAt + TILE;
    int w2 = w1 + TILE;
    int w3 = w2 + TILE;
    int c = 0;
    for (int chunks2 = chunks & ~1; c < chunks2; c += 2) {
      int base0 = c * cs + kt0;
      int base1 = base0 + cs;
      int at = xAt + c * ln;
      FloatVector x0 = FloatVector.fromArray(sp, buf, at);
      FloatVector y0 = FloatVector.fromArray(sp, buf, at + ln);
      FloatVector x1 = FloatVector.fromArray(sp, buf, at + dPad);
      FloatVector y1 = FloatVector.fromArray(sp, buf, at + dPad + ln);
      FloatVector x2 = FloatVector.fromArray(sp, buf, at + 2 * dPad);
      FloatVector y2 = FloatVector.fromArray(sp, buf, at + 2 * dPad + ln);
      FloatVector x3 = FloatVector.fromArray(sp, buf, at + 3 * dPad);
      FloatVector y3 = FloatVector.fromArray(sp, buf, at + 3 * dPad + ln);
      for (int j = 0; j < nk; j++) {
        int at0 = base0 + j * ln;
        int at1 = base1 + j * ln;
        FloatVector p0 = FloatVector.broadcast(sp, buf[wAt + j]);
        FloatVector p1 = FloatVector.broadcast(sp, buf[w1 + j]);
        FloatVector p2 = FloatVector.broadcast(sp, buf[w2 + j]);
        FloatVector p3 = FloatVector.broadcast(sp, buf[w3 + j]);
        // one chain of four FMAs per vector: consecutive keys are independent, so they overlap
        x3.fma(p3, x2.fma(p2, x1.fma(p1, x0.fma(p0, FloatVector.fromArray(sp, dst, at0))))).intoArray(dst, at0);
        y3.fma(p3, y2.fma(p2, y1.fma(p1, y0.fma(p0, FloatVector.fromArray(sp, dst, at1))))).intoArray(dst, at1);
      }
    }
    for (; c < chunks; c++) {
      int base0 = c * cs + kt0;
      int at = xAt + c * ln;
      FloatVector x0 = FloatVector.fromArray(sp, buf, at);
      FloatVector x1 = FloatVector.fromArray(sp, buf, at + dPad);
      FloatVector x2 = FloatVector.fromArray(sp, buf, at + 2 * dPad);
      FloatVector x3 = FloatVector.fromArray(sp, buf, at + 3 * dPad);
      for (int j = 0; j < nk; j++) {
        int at0 = base0 + j * ln;
        FloatVector p0 = FloatVector.broadcast(sp, buf[wAt + j]);
        FloatVector p1 = FloatVector.broadcast(sp, buf[w1 + j]);
        FloatVector p2 = FloatVector.broadcast(sp, buf[w2 + j]);
        FloatVector p3 = FloatVector.broadcast(sp, buf[w3 + j]);
        x3.fma(p3, x2.fma(p2, x1.fma(p1, x0.fma(p0, FloatVector.fromArray(sp, dst, at0))))).intoArray(dst, at0);
      }
    }
  }

  /** Scores past the first nk (which may be ≤ 0) of the row set to −∞; returns the maximum of the blocks. */
  private float maskedMax(float[] buf, int sAt, int blocks, int nk) {
    VectorSpecies<Float> sp = math.sp();
    int ln = sp.length();
    FloatVector ninf = FloatVector.broadcast(sp, Float.NEGATIVE_INFINITY);
    FloatVector mx = ninf;
    for (int blk = 0; blk < blocks; blk++) {
      int o0 = sAt + blk * ln;
      FloatVector sc = ninf.blend(FloatVector.fromArray(sp, buf, o0), math.tail(blk * ln, nk));
      sc.intoArray(buf, o0);
      mx = mx.max(sc);
    }
    return mx.reduceLanes(MAX);
  }

  /** p = e^{s − max} in place over the blocks; returns Σ p. */
  private float expTile(float[] buf, int sAt, int blocks, float max) {
    VectorSpecies<Float> sp = math.sp();
    int ln = sp.length();
    FloatVector sum = FloatVector.zero(sp);
    for (int blk = 0; blk < blocks; blk++) {
      int o0 = sAt + blk * ln;
      FloatVector p = FloatVector.fromArray(sp, buf, o0).sub(max).lanewise(EXP);
      p.intoArray(buf, o0);
      sum = sum.add(p);
    }
    return sum.reduceLanes(ADD);
  }

  /** buf[at, at + len) ·= f, len a whole number of vectors. */
  private void scaleRow(float[] buf, int at, float f, int len) {
    VectorSpecies<Float> sp = math.sp();
    int ln = sp.length();
    for (int c = 0; c < len; c += ln) FloatVector.fromArray(sp, buf, at + c).mul(f).intoArray(buf, at + c);
  }

  /**
   * One (example, head) of the backward, by groups of {@link #ROWS} query rows as in the forward.
   * Per group and tile of keys: s and dp of every row of the group from the transposed keys and values
   * ({@link #groupScores}), per row p = e^{s − lse} (0 past its end) and ds = p·(dp − D), then for
   * the whole group dq += ds·K ({@link #groupAccumulate} on the chunked keys), dk += dsᵀ·q and
   * dv += pᵀ·dO ({@link #groupUpdate} on the chunked dk and dv accumulators, written to dk and dv at
   * the end). Padding rows of a short last group have lse = +∞, so p = ds = 0 and they add nothing.
   *
   * <p>This method holds no vector: each phase is a method of its own, and vectors live only inside
   * one of them. As a single method (2 KB of bytecode) C2 hit its node-count inlining cutoff, left
   * {@link VectorMath#tail} and the small helpers as calls, and boxed the vectors around them.
   */
  private void backwardHead(int b, int h) {
    int ln = lanes;
    int d = headDim;
    int chunks = ceilDiv(d, ln);
    int dPad = chunks * ln;
    int cs = tk * ln;
    int first = firstRow();
    int tqPad = first + ceilDiv(tq - first, ROWS) * ROWS;
    VectorScratch s = VectorScratch.get();
    // the row buffer: the group's dq accumulators, p and ds; lse and D per row, then every scaled
    // query row and dO row, padded with zero rows to whole groups
    int acc = 0;
    int pAt = acc + ROWS * dPad;
    int dsAt = pAt + ROWS * TILE;
    int lAt = dsAt + ROWS * TILE;
    int ddAt = lAt + tqPad;
    int qsAt = ddAt + tqPad;
    int gsAt = qsAt + tqPad * dPad;
    s.ensureAttention(ceilDiv(tk, TILE) * TILE * d, chunks * cs, true, gsAt + tqPad * dPad);
    float[] buf = s.rowBuf;
    int kvs = kvStride;
    int kb = kOff + b * kvBatchStride + h * d;
    int vb = vOff + b * kvBatchStride + h * d;
    transposeTiles(k, kb, kvs, s.keysT, tk, d, s);
    transposeTiles(v, vb, kvs, s.valuesT, tk, d, s);
    chunkRows(k, kb, kvs, s.rowsA, tk, d);
    Arrays.fill(s.rowsB, 0, chunks * cs, 0f);
    Arrays.fill(s.rowsC, 0, chunks * cs, 0f);
    float scale = (float) (1 / Math.sqrt(d));
    int width = heads * d;
    loadRows(q, qOff + b * tq * qStride + h * d, qStride, scale, buf, qsAt, tq, d);
    loadRows(dOut, dOutOff + b * tq * width + h * d, width, 1f, buf, gsAt, tq, d);
    Arrays.fill(buf, qsAt + tq * dPad, qsAt + tqPad * dPad, 0f);
    Arrays.fill(buf, gsAt + tq * dPad, gsAt + tqPad * dPad, 0f);
    rowDots(buf, gsAt, o, oOff + b * tq * width + h * d, width, buf, ddAt, tq, d);
    System.arraycopy(lse, lseOff + (b * heads + h) * tq, buf, lAt, tq);
    Arrays.fill(buf, ddAt + tq, ddAt + tqPad, 0f);
    Arrays.fill(buf, lAt + tq, lAt + tqPad, Float.POSITIVE_INFINITY);
    for (int i = 0; i < first; i++) {
      int dqr = dqOff + (b * tq + i) * qStride + h * d;
      Arrays.fill(dq, dqr, dqr + d, 0f);
    }
    for (int i0 = first; i0 < tq; i0 += ROWS) {
      int real = Math.min(ROWS, tq - i0);
      int groupEnd = ScalarFloatKernels.keyEnd(i0 + real - 1, tq, tk, causal);
      int qg = qsAt + i0 * dPad;
      int gg = gsAt + i0 * dPad;
      Arrays.fill(buf, acc, acc + ROWS * dPad, 0f);
      for (int t0 = 0; t0 < groupEnd; t0 += TILE) {
        int nk = Math.min(groupEnd, t0 + TILE) - t0;
        int pairs = ceilDiv(nk, 2 * ln);
        groupScores(s.keysT, buf, qg, dPad, pAt, t0 * d, pairs, d);
        groupScores(s.valuesT, buf, gg, dPad, dsAt, t0 * d, pairs, d);
        for (int r = 0; r < ROWS; r++) {
          int end = r < real ? ScalarFloatKernels.keyEnd(i0 + r, tq, tk, causal) : groupEnd;
          int nkr = Math.min(end, t0 + TILE) - t0;
          backwardSoftmax(buf, pAt + r * TILE, dsAt + r * TILE, 2 * pairs, nkr, buf[lAt + i0 + r], buf[ddAt + i0 + r]);
        }
        groupAccumulate(s.rowsA, buf, acc, dPad, dsAt, t0 * ln, nk, chunks, cs);
        groupUpdate(s.rowsB, buf, qg, dPad, dsAt, t0 * ln, nk, chunks, cs);
        groupUpdate(s.rowsC, buf, gg, dPad, pAt, t0 * ln, nk, chunks, cs);
      }
      for (int r = 0; r < real; r++) {
        storeScaled(buf, acc + r * dPad, scale, dq, dqOff + (b * tq + i0 + r) * qStride + h * d, d);
      }
    }
    unchunkRows(s.rowsB, dk, dkOff + b * kvBatchStride + h * d, kvs, tk, d);
    unchunkRows(s.rowsC, dv, dvOff + b * kvBatchStride + h * d, kvs, tk, d);
  }

  /** p = e^{s − lse} (0 past the row's first nk keys, nk may be ≤ 0) and ds = p·(dp − D), in place over s and dp. */
  private void backwardSoftmax(float[] buf, int pAt, int dsAt, int blocks, int nk, float l, float dd) {
    VectorSpecies<Float> sp = math.sp();
    int ln = sp.length();
    FloatVector ninf = FloatVector.broadcast(sp, Float.NEGATIVE_INFINITY);
    for (int blk = 0; blk < blocks; blk++) {
      int o0 = pAt + blk * ln;
      int o1 = dsAt + blk * ln;
      VectorMask<Float> mk = math.tail(blk * ln, nk);
      FloatVector p = ninf.blend(FloatVector.fromArray(sp, buf, o0), mk).sub(l).lanewise(EXP);
      p.intoArray(buf, o0);
      p.mul(FloatVector.fromArray(sp, buf, o1).sub(dd)).intoArray(buf, o1);
    }
  }

  /** dst[at, at + d) = src[from, from + d) · f: whole vectors, then the masked tail. */
  private void storeScaled(float[] src, int from, float f, float[] dst, int at, int d) {
    VectorSpecies<Float> sp = math.sp();
    int ln = sp.length();
    int body = d / ln * ln;
    int c = 0;
    for (; c < body; c += ln) FloatVector.fromArray(sp, src, from + c).mul(f).intoArray(dst, at + c);
    if (c < d) FloatVector.fromArray(sp, src, from + c).mul(f).intoArray(dst, at + c, math.tail(c, d));
  }
}
