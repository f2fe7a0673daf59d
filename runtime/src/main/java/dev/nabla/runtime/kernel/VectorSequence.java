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
 * <p>Attention runs one task per (example, head). The task transposes the head's keys into a
 * per-thread scratch (headDim × keys padded to whole vectors), so the scores of one query against a
 * block of one vector of keys are broadcast FMAs down the head dimension, with no horizontal sums.
 * The forward keeps an online softmax over the key blocks (running maximum, rescaled output and
 * lane-wise running sum); the backward recomputes p from the saved log-sum-exp, takes dp from the
 * transposed values the same way, and adds into dk and dv, which belong to that task alone.
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
    for (int r = 0; r < m; r++) {
      int row = outOff + tokenOf(r) * c;
      int dr = inOff + r * c;
      for (int j = c0; j < c1; j += lanes) {
        VectorMask<Float> mk = math.tail(j, c1);
        FloatVector.fromArray(sp, out, row + j, mk).add(FloatVector.fromArray(sp, in, dr + j, mk))
            .intoArray(out, row + j, mk);
      }
    }
  }

  private void positionRows(int r0, int r1) {
    VectorSpecies<Float> sp = math.sp();
    int c = n;
    for (int r = r0; r < r1; r++) {
      int pos = tabOff + (start + r % t) * c;
      int xr = inOff + r * c;
      int yr = outOff + r * c;
      for (int j = 0; j < c; j += lanes) {
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

  private void normRows(int r0, int r1) {
    VectorSpecies<Float> sp = math.sp();
    FloatVector zero = FloatVector.zero(sp);
    for (int r = r0; r < r1; r++) {
      int xr = inOff + r * n;
      int yr = outOff + r * n;
      // One pass of sums shifted by the first value, so a large mean does not cancel the variance.
      float k0 = in[xr];
      FloatVector s1 = zero;
      FloatVector s2 = zero;
      for (int j = 0; j < n; j += lanes) {
        VectorMask<Float> mk = math.tail(j, n);
        FloatVector d = FloatVector.fromArray(sp, in, xr + j, mk).sub(k0, mk);
        s1 = s1.add(d);
        s2 = d.fma(d, s2);
      }
      float mu = s1.reduceLanes(ADD) / n;
      float var = Math.max(0f, s2.reduceLanes(ADD) / n - mu * mu);
      float mv = k0 + mu;
      float rs = (float) (1 / Math.sqrt(var + eps));
      if (mean != null) mean[meanOff + r] = mv;
      if (rstd != null) rstd[rstdOff + r] = rs;
      for (int j = 0; j < n; j += lanes) {
        VectorMask<Float> mk = math.tail(j, n);
        FloatVector.fromArray(sp, in, xr + j, mk).sub(mv).mul(rs)
            .fma(FloatVector.fromArray(sp, gamma, gammaOff + j, mk), FloatVector.fromArray(sp, beta, betaOff + j, mk))
            .intoArray(out, yr + j, mk);
      }
    }
  }

  /** Rows [r0, r1) of block {@code block}: dx, and the block's dgamma and dbeta partial sums. */
  private void normBackwardRows(int block, int r0, int r1) {
    VectorSpecies<Float> sp = math.sp();
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
      // Masked lanes load 0, so g and dy are 0 there and add nothing.
      for (int j = 0; j < n; j += lanes) {
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
      for (int j = 0; j < n; j += lanes) {
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

  /** dst[e·pad + j] = src[base + j·stride + e] for j &lt; rows, e &lt; d; columns [rows, pad) are 0. */
  private static void transpose(float[] src, int base, int stride, float[] dst, int pad, int rows, int d) {
    for (int j = 0; j < rows; j++) {
      int r = base + j * stride;
      for (int e = 0; e < d; e++) dst[e * pad + j] = src[r + e];
    }
    for (int e = 0; e < d; e++) Arrays.fill(dst, e * pad + rows, e * pad + pad, 0f);
  }

  /**
   * One (example, head): for each query row, scores of a block of keys from the transposed keys,
   * then the online softmax update of the running maximum, the lane-wise running sum and the output
   * accumulator (in the row buffer: rescaled once per block, then p_j·v_j for the block's keys).
   */
  private void forwardHead(int b, int h) {
    VectorSpecies<Float> sp = math.sp();
    int ln = lanes;
    int d = headDim;
    int pad = ceilDiv(tk, ln) * ln;
    int dPad = ceilDiv(d, ln) * ln;
    VectorScratch s = VectorScratch.get();
    s.ensureAttention(d * pad, false, 2 * dPad + ln);
    float[] kt = s.keysT;
    float[] buf = s.rowBuf;
    int acc = dPad;
    int pAt = 2 * dPad;
    int kb = kOff + b * kvBatchStride + h * d;
    int vb = vOff + b * kvBatchStride + h * d;
    transpose(k, kb, kvStride, kt, pad, tk, d);
    float scale = (float) (1 / Math.sqrt(d));
    int width = heads * d;
    FloatVector zero = FloatVector.zero(sp);
    FloatVector ninf = FloatVector.broadcast(sp, Float.NEGATIVE_INFINITY);
    for (int i = 0; i < tq; i++) {
      int qr = qOff + (b * tq + i) * qStride + h * d;
      int or = oOff + (b * tq + i) * width + h * d;
      int lseAt = lseOff + (b * heads + h) * tq + i;
      int end = ScalarFloatKernels.keyEnd(i, tq, tk, causal);
      if (end <= 0) {
        Arrays.fill(o, or, or + d, 0f);
        if (lse != null) lse[lseAt] = Float.NEGATIVE_INFINITY;
        continue;
      }
      for (int e = 0; e < d; e++) buf[e] = q[qr + e] * scale;
      Arrays.fill(buf, acc, acc + dPad, 0f);
      float max = Float.NEGATIVE_INFINITY;
      FloatVector sum = zero;
      for (int j0 = 0; j0 < end; j0 += ln) {
        FloatVector s0 = zero;
        FloatVector s1 = zero;
        FloatVector s2 = zero;
        FloatVector s3 = zero;
        int e = 0;
        for (; e + 3 < d; e += 4) {
          int at = e * pad + j0;
          s0 = FloatVector.fromArray(sp, kt, at).fma(FloatVector.broadcast(sp, buf[e]), s0);
          s1 = FloatVector.fromArray(sp, kt, at + pad).fma(FloatVector.broadcast(sp, buf[e + 1]), s1);
          s2 = FloatVector.fromArray(sp, kt, at + 2 * pad).fma(FloatVector.broadcast(sp, buf[e + 2]), s2);
          s3 = FloatVector.fromArray(sp, kt, at + 3 * pad).fma(FloatVector.broadcast(sp, buf[e + 3]), s3);
        }
        for (; e < d; e++) s0 = FloatVector.fromArray(sp, kt, e * pad + j0).fma(FloatVector.broadcast(sp, buf[e]), s0);
        FloatVector sc = ninf.blend(s0.add(s1).add(s2.add(s3)), math.tail(j0, end));
        float newMax = Math.max(max, sc.reduceLanes(MAX));
        float alpha = newMax == max ? 1f : (float) Math.exp(max - newMax);
        max = newMax;
        FloatVector p = sc.sub(newMax).lanewise(EXP);
        sum = sum.mul(alpha).add(p);
        p.intoArray(buf, pAt);
        int nb = Math.min(ln, end - j0);
        for (int c = 0; c < d; c += ln) {
          VectorMask<Float> mk = math.tail(c, d);
          FloatVector a0 = FloatVector.fromArray(sp, buf, acc + c).mul(alpha);
          FloatVector a1 = zero;
          int vr = vb + j0 * kvStride + c;
          int j = 0;
          for (; j + 1 < nb; j += 2, vr += 2 * kvStride) {
            a0 = FloatVector.fromArray(sp, v, vr, mk).fma(FloatVector.broadcast(sp, buf[pAt + j]), a0);
            a1 = FloatVector.fromArray(sp, v, vr + kvStride, mk).fma(FloatVector.broadcast(sp, buf[pAt + j + 1]), a1);
          }
          for (; j < nb; j++, vr += kvStride) {
            a0 = FloatVector.fromArray(sp, v, vr, mk).fma(FloatVector.broadcast(sp, buf[pAt + j]), a0);
          }
          a0.add(a1).intoArray(buf, acc + c);
        }
      }
      float totalSum = sum.reduceLanes(ADD);
      float inv = 1f / totalSum;
      for (int c = 0; c < d; c += ln) {
        VectorMask<Float> mk = math.tail(c, d);
        FloatVector.fromArray(sp, buf, acc + c).mul(inv).intoArray(o, or + c, mk);
      }
      if (lse != null) lse[lseAt] = max + (float) Math.log(totalSum);
    }
  }

  /**
   * One (example, head) of the backward: dk and dv of the head start at 0; per query row, p and dp
   * for a block of keys from the transposed keys and values, ds = p·(dp − D), then dq (in the row
   * buffer) += ds_j·k_j, dk_j += ds_j·q, dv_j += p_j·dO.
   */
  private void backwardHead(int b, int h) {
    VectorSpecies<Float> sp = math.sp();
    int ln = lanes;
    int d = headDim;
    int pad = ceilDiv(tk, ln) * ln;
    int dPad = ceilDiv(d, ln) * ln;
    VectorScratch s = VectorScratch.get();
    s.ensureAttention(d * pad, true, 2 * dPad + 2 * ln);
    float[] kt = s.keysT;
    float[] vt = s.valuesT;
    float[] buf = s.rowBuf;
    int acc = dPad;
    int pAt = 2 * dPad;
    int dsAt = pAt + ln;
    int kb = kOff + b * kvBatchStride + h * d;
    int vb = vOff + b * kvBatchStride + h * d;
    int dkb = dkOff + b * kvBatchStride + h * d;
    int dvb = dvOff + b * kvBatchStride + h * d;
    transpose(k, kb, kvStride, kt, pad, tk, d);
    transpose(v, vb, kvStride, vt, pad, tk, d);
    for (int j = 0; j < tk; j++) {
      Arrays.fill(dk, dkb + j * kvStride, dkb + j * kvStride + d, 0f);
      Arrays.fill(dv, dvb + j * kvStride, dvb + j * kvStride + d, 0f);
    }
    float scale = (float) (1 / Math.sqrt(d));
    int width = heads * d;
    FloatVector zero = FloatVector.zero(sp);
    FloatVector ninf = FloatVector.broadcast(sp, Float.NEGATIVE_INFINITY);
    for (int i = 0; i < tq; i++) {
      int qr = qOff + (b * tq + i) * qStride + h * d;
      int dqr = dqOff + (b * tq + i) * qStride + h * d;
      int or = oOff + (b * tq + i) * width + h * d;
      int gr = dOutOff + (b * tq + i) * width + h * d;
      int end = ScalarFloatKernels.keyEnd(i, tq, tk, causal);
      if (end <= 0) {
        Arrays.fill(dq, dqr, dqr + d, 0f);
        continue;
      }
      float l = lse[lseOff + (b * heads + h) * tq + i];
      float dd = 0;
      for (int e = 0; e < d; e++) {
        buf[e] = q[qr + e] * scale;
        dd += dOut[gr + e] * o[or + e];
      }
      Arrays.fill(buf, acc, acc + dPad, 0f);
      for (int j0 = 0; j0 < end; j0 += ln) {
        FloatVector s0 = zero;
        FloatVector s1 = zero;
        FloatVector g0 = zero;
        FloatVector g1 = zero;
        int e = 0;
        for (; e + 1 < d; e += 2) {
          int at = e * pad + j0;
          s0 = FloatVector.fromArray(sp, kt, at).fma(FloatVector.broadcast(sp, buf[e]), s0);
          g0 = FloatVector.fromArray(sp, vt, at).fma(FloatVector.broadcast(sp, dOut[gr + e]), g0);
          s1 = FloatVector.fromArray(sp, kt, at + pad).fma(FloatVector.broadcast(sp, buf[e + 1]), s1);
          g1 = FloatVector.fromArray(sp, vt, at + pad).fma(FloatVector.broadcast(sp, dOut[gr + e + 1]), g1);
        }
        for (; e < d; e++) {
          int at = e * pad + j0;
          s0 = FloatVector.fromArray(sp, kt, at).fma(FloatVector.broadcast(sp, buf[e]), s0);
          g0 = FloatVector.fromArray(sp, vt, at).fma(FloatVector.broadcast(sp, dOut[gr + e]), g0);
        }
        FloatVector p = ninf.blend(s0.add(s1), math.tail(j0, end)).sub(l).lanewise(EXP);
        p.intoArray(buf, pAt);
        p.mul(g0.add(g1).sub(dd)).intoArray(buf, dsAt);
        int nb = Math.min(ln, end - j0);
        for (int c = 0; c < d; c += ln) {
          VectorMask<Float> mk = math.tail(c, d);
          FloatVector qv = FloatVector.fromArray(sp, buf, c);
          FloatVector gv = FloatVector.fromArray(sp, dOut, gr + c, mk);
          FloatVector a = FloatVector.fromArray(sp, buf, acc + c);
          int off = j0 * kvStride + c;
          for (int j = 0; j < nb; j++, off += kvStride) {
            FloatVector ds = FloatVector.broadcast(sp, buf[dsAt + j]);
            a = FloatVector.fromArray(sp, k, kb + off, mk).fma(ds, a);
            qv.fma(ds, FloatVector.fromArray(sp, dk, dkb + off, mk)).intoArray(dk, dkb + off, mk);
            gv.fma(FloatVector.broadcast(sp, buf[pAt + j]), FloatVector.fromArray(sp, dv, dvb + off, mk))
                .intoArray(dv, dvb + off, mk);
          }
          a.intoArray(buf, acc + c);
        }
      }
      for (int c = 0; c < d; c += ln) {
        VectorMask<Float> mk = math.tail(c, d);
        FloatVector.fromArray(sp, buf, acc + c).mul(scale).intoArray(dq, dqr + c, mk);
      }
    }
  }
}
