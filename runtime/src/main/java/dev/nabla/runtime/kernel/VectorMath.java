package dev.nabla.runtime.kernel;

import static jdk.incubator.vector.VectorOperators.EXP;
import static jdk.incubator.vector.VectorOperators.EXPM1;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LSHL;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise activations and their derivatives on whole vectors. Also the holder of the species:
 * the Vector API only compiles to SIMD instructions when the species is a JIT constant, and an
 * instance field is not one. Each width is a subclass whose {@link #sp()} returns a static final
 * species; with one subclass loaded (or one seen at a call site) the call inlines to a constant.
 */
abstract class VectorMath {
  /*
   * GELU without a library exp. With a = |x|, Φ(−a) = φ(a)·R(a), R the Mills ratio; φ and R are
   * shared by GELU and GELU': Φ(x) = 1 − φR or φR, and Φ(x) + x·φ(x) = 1 − φ(R − a) or φ(R − a).
   *
   * φ(a) = e^{−a²/2}/√(2π) is evaluated in line, in FMAs and integer ops only (lanewise(EXP) is a
   * call into a stub library, and every live vector is spilled around it): k = round(−a²/2·log₂e)
   * by the 1.5·2²³ rounding trick; w = a² + 2k·ln2 = −2r, r = −a²/2 − k·ln2 in [−ln2/2, ln2/2]
   * (one FMA: the rounding of 2·ln2 costs k·4e-9, irrelevant where φ matters); C(w), degree 5, is a
   * minimax fit of e^r/√(2π) (relative error 1e-7); 2^k comes from the float bits of the rounded k:
   * the magic constant carries the exponent bias, so its low bits hold k + 127 and a shift by 23
   * moves them into the exponent field. k + 127 is clamped at 0 first, so φ underflows to exactly 0
   * and GELU is exactly 0 (and x) far out. a is capped at GELU_CAP (φ is then 0 already), else a²
   * overflows for |x| ≳ 1.8e19; the cap is a compare and blend, not min(), whose NaN handling costs
   * several instructions. R(a) ≈ t·Q(t), t = 1/(1 + R_T·a), Q of degree 6: a weighted least-squares
   * fit of the relative error on a in [0, 7] (3e-7). Against MathFunctions over [−12, 12] GELU stays
   * within 2.4e-7 absolute (half an ulp of the result) and GELU' within 3.4e-7; see
   * GeluAccuracyTest.
   */
  private static final float GELU_CAP = 14f;
  private static final float EXP_MAGIC = 12583039f; // 1.5·2²³ + 127
  private static final int EXP_MAGIC_BITS = 0x4B400000; // bits of 1.5·2²³: the k + 127 = 0 end
  private static final float NEG_HALF_LOG2E = -0.7213475f;
  private static final float TWO_LN2 = 1.3862944f;
  /** C(w) ≈ e^{−w/2}/√(2π) = Σ Ci·wⁱ. */
  private static final float C0 = 0.3989423f;
  private static final float C1 = -0.19947109f;
  private static final float C2 = 0.049866945f;
  private static final float C3 = -0.008311782f;
  private static final float C4 = 0.0010446587f;
  private static final float C5 = -0.00010334825f;
  /** R(a) ≈ t·Q(t), Q(t) = Σ Qi·tⁱ. */
  private static final float R_T = 0.26f;
  private static final float Q0 = 0.2592887f;
  private static final float Q1 = 0.27096862f;
  private static final float Q2 = 0.1727481f;
  private static final float Q3 = 0.4437047f;
  private static final float Q4 = -0.30106854f;
  private static final float Q5 = 0.5965493f;
  private static final float Q6 = -0.18887709f;

  private static final float SELU_SCALE = (float) Act.SELU_SCALE;
  private static final float SELU_SCALE_ALPHA = (float) (Act.SELU_SCALE * Act.SELU_ALPHA);

  abstract VectorSpecies<Float> sp();

  /**
   * tails[r] has the first r lanes set. indexInRange runs as plain Java in these loops on JDK 25
   * (a profile of a 32×16×784 forward put 17% of its time in it); a mask read from this table
   * costs a load. Returning one of these existing objects allocates nothing.
   */
  private VectorMask<Float>[] tails;

  /** The lanes of [i, i + L) that lie below {@code limit}. */
  final VectorMask<Float> tail(int i, int limit) {
    VectorMask<Float>[] t = tails;
    return t[Math.max(0, Math.min(t.length - 1, limit - i))];
  }

  @SuppressWarnings("unchecked")
  final VectorMath withTails() {
    int l = sp().length();
    tails = new VectorMask[l + 1];
    for (int r = 0; r <= l; r++) tails[r] = sp().indexInRange(0, r);
    return this;
  }

  static VectorMath of(VectorSpecies<Float> species) {
    return switch (species.vectorBitSize()) {
      case 128 -> new W128().withTails();
      case 256 -> new W256().withTails();
      case 512 -> new W512().withTails();
      default -> new Other(species).withTails();
    };
  }

  private static final class W128 extends VectorMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_128;

    @Override
    VectorSpecies<Float> sp() {
      return S;
    }
  }

  private static final class W256 extends VectorMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;

    @Override
    VectorSpecies<Float> sp() {
      return S;
    }
  }

  private static final class W512 extends VectorMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;

    @Override
    VectorSpecies<Float> sp() {
      return S;
    }
  }

  /** Widths without a constant holder (e.g. SVE sizes): correct, but not compiled to constants. */
  private static final class Other extends VectorMath {
    private final VectorSpecies<Float> s;

    Other(VectorSpecies<Float> s) {
      this.s = s;
    }

    @Override
    VectorSpecies<Float> sp() {
      return s;
    }
  }

  /*
   * Why array-to-array loops: C2 keeps a vector in registers only while every value it can take
   * comes from straight-line code it has inlined. A vector passed to or returned from a method it
   * does not inline, or merged from two branches (a switch over activations, an `if (accumulate)`
   * that reassigns it), is boxed on the heap. Whether C2 inlines a small vector helper depends on
   * what it compiled first (a helper already compiled into a big method is not inlined), so no
   * method here takes or returns a vector at all: the switch picks a loop, each loop is straight
   * line, and the column tail is the last masked iteration of the same loop.
   */

  /** y[i] = act(x[i]) for element-wise codes (NONE copies); y may alias x. */
  void activate(float[] x, int xo, float[] y, int yo, int len, int act, float p) {
    switch (act) {
      case Act.SIGMOID -> sigmoidLoop(x, xo, y, yo, len);
      case Act.TANH -> tanhLoop(x, xo, y, yo, len);
      case Act.RELU -> reluLoop(x, xo, y, yo, len);
      case Act.LEAKY_RELU -> leakyLoop(x, xo, y, yo, len, p);
      case Act.ELU -> eluLoop(x, xo, y, yo, len, p);
      case Act.SELU -> seluLoop(x, xo, y, yo, len);
      case Act.GELU -> geluLoop(x, xo, y, yo, len);
      case Act.SWISH -> swishLoop(x, xo, y, yo, len);
      default -> {
        if (x != y || xo != yo) System.arraycopy(x, xo, y, yo, len);
      }
    }
  }

  private void sigmoidLoop(float[] x, int xo, float[] y, int yo, int len) {
    VectorSpecies<Float> sp = sp();
    FloatVector one = FloatVector.broadcast(sp, 1f);
    for (int i = 0; i < len; i += sp.length()) {
      VectorMask<Float> m = tail(i, len);
      FloatVector v = FloatVector.fromArray(sp, x, xo + i, m);
      one.div(v.neg().lanewise(EXP).add(1f)).intoArray(y, yo + i, m);
    }
  }

  private void tanhLoop(float[] x, int xo, float[] y, int yo, int len) {
    VectorSpecies<Float> sp = sp();
    for (int i = 0; i < len; i += sp.length()) {
      VectorMask<Float> m = tail(i, len);
      FloatVector.fromArray(sp, x, xo + i, m).lanewise(VectorOperators.TANH).intoArray(y, yo + i, m);
    }
  }

  private void reluLoop(float[] x, int xo, float[] y, int yo, int len) {
    VectorSpecies<Float> sp = sp();
    for (int i = 0; i < len; i += sp.length()) {
      VectorMask<Float> m = tail(i, len);
      FloatVector.fromArray(sp, x, xo + i, m).max(0f).intoArray(y, yo + i, m);
    }
  }

  private void leakyLoop(float[] x, int xo, float[] y, int yo, int len, float p) {
    VectorSpecies<Float> sp = sp();
    for (int i = 0; i < len; i += sp.length()) {
      VectorMask<Float> m = tail(i, len);
      FloatVector v = FloatVector.fromArray(sp, x, xo + i, m);
      v.mul(p).blend(v, v.compare(GT, 0f)).intoArray(y, yo + i, m);
    }
  }

  private void eluLoop(float[] x, int xo, float[] y, int yo, int len, float p) {
    VectorSpecies<Float> sp = sp();
    for (int i = 0; i < len; i += sp.length()) {
      VectorMask<Float> m = tail(i, len);
      FloatVector v = FloatVector.fromArray(sp, x, xo + i, m);
      v.lanewise(EXPM1).mul(p).blend(v, v.compare(GT, 0f)).intoArray(y, yo + i, m);
    }
  }

  private void seluLoop(float[] x, int xo, float[] y, int yo, int len) {
    VectorSpecies<Float> sp = sp();
    for (int i = 0; i < len; i += sp.length()) {
      VectorMask<Float> m = tail(i, len);
      FloatVector v = FloatVector.fromArray(sp, x, xo + i, m);
      v.lanewise(EXPM1).mul(SELU_SCALE_ALPHA).blend(v.mul(SELU_SCALE), v.compare(GT, 0f)).intoArray(y, yo + i, m);
    }
  }

  /**
   * GELU, x·Φ(x). Φ is written out here and again in {@link #geluBack}: as a helper method it would
   * take a vector (boxed unless inlined), and as a separate loop it is entered once per call, which
   * leaves it on C1's boxing code for long after the caller is compiled.
   */
  private void geluLoop(float[] x, int xo, float[] y, int yo, int len) {
    VectorSpecies<Float> sp = sp();
    FloatVector zero = FloatVector.zero(sp);
    FloatVector cap = FloatVector.broadcast(sp, GELU_CAP);
    FloatVector magic = FloatVector.broadcast(sp, EXP_MAGIC);
    FloatVector twoLn2 = FloatVector.broadcast(sp, TWO_LN2);
    for (int i = 0; i < len; i += sp.length()) {
      VectorMask<Float> m = tail(i, len);
      FloatVector v = FloatVector.fromArray(sp, x, xo + i, m);
      FloatVector a = v.abs();
      a = a.blend(cap, a.compare(GT, cap));
      FloatVector a2 = a.mul(a);
      FloatVector kf = a2.fma(NEG_HALF_LOG2E, EXP_MAGIC);
      FloatVector w = kf.sub(magic).fma(twoLn2, a2);
      FloatVector c = w.fma(C5, C4).fma(w, FloatVector.broadcast(sp, C3)).fma(w, FloatVector.broadcast(sp, C2));
      c = c.fma(w, FloatVector.broadcast(sp, C1)).fma(w, FloatVector.broadcast(sp, C0));
      FloatVector pdf = c.mul(kf.reinterpretAsInts().max(EXP_MAGIC_BITS).lanewise(LSHL, 23).reinterpretAsFloats());
      FloatVector t = a.fma(R_T, 1f);
      t = FloatVector.broadcast(sp, 1f).div(t);
      FloatVector q = t.fma(Q6, Q5).fma(t, FloatVector.broadcast(sp, Q4)).fma(t, FloatVector.broadcast(sp, Q3));
      q = q.fma(t, FloatVector.broadcast(sp, Q2));
      q = q.fma(t, FloatVector.broadcast(sp, Q1)).fma(t, FloatVector.broadcast(sp, Q0));
      FloatVector tailProb = pdf.mul(q.mul(t)); // Φ(−a)
      zero.blend(v, v.compare(GT, 0f)).sub(a.mul(tailProb)).intoArray(y, yo + i, m);
    }
  }

  private void swishLoop(float[] x, int xo, float[] y, int yo, int len) {
    VectorSpecies<Float> sp = sp();
    FloatVector one = FloatVector.broadcast(sp, 1f);
    for (int i = 0; i < len; i += sp.length()) {
      VectorMask<Float> m = tail(i, len);
      FloatVector v = FloatVector.fromArray(sp, x, xo + i, m);
      v.mul(one.div(v.neg().lanewise(EXP).add(1f))).intoArray(y, yo + i, m);
    }
  }

  /**
   * dx[i] = (accumulate ? dx[i] : 0) + dy[i]·act'(s[i]) for element-wise codes, s the saved output
   * (or input, for GELU and Swish); dx may alias dy.
   */
  void backward(float[] dy, int dyo, float[] s, int so, float[] dx, int dxo, int len, int act, float p,
                boolean accumulate) {
    // The mask is made inside each loop: a mask passed to a method is boxed like a vector.
    boolean acc = accumulate;
    switch (act) {
      case Act.SIGMOID -> sigmoidBack(dy, dyo, s, so, dx, dxo, len, acc);
      case Act.TANH -> tanhBack(dy, dyo, s, so, dx, dxo, len, acc);
      case Act.RELU -> stepBack(dy, dyo, s, so, dx, dxo, len, acc, 0f, 1f);
      case Act.LEAKY_RELU -> stepBack(dy, dyo, s, so, dx, dxo, len, acc, p, 1f);
      case Act.ELU -> shiftedBack(dy, dyo, s, so, dx, dxo, len, acc, p, 1f);
      case Act.SELU -> shiftedBack(dy, dyo, s, so, dx, dxo, len, acc, SELU_SCALE_ALPHA, SELU_SCALE);
      case Act.GELU -> geluBack(dy, dyo, s, so, dx, dxo, len, acc);
      case Act.SWISH -> swishBack(dy, dyo, s, so, dx, dxo, len, acc);
      default -> identityBack(dy, dyo, dx, dxo, len, acc);
    }
  }

  private void identityBack(float[] dy, int dyo, float[] dx, int dxo, int len, boolean accumulate) {
    VectorSpecies<Float> sp = sp();
    VectorMask<Float> acc = sp.maskAll(accumulate);
    for (int i = 0; i < len; i += sp.length()) {
      VectorMask<Float> m = tail(i, len);
      FloatVector.fromArray(sp, dy, dyo + i, m).add(FloatVector.fromArray(sp, dx, dxo + i, m), acc)
          .intoArray(dx, dxo + i, m);
    }
  }

  private void sigmoidBack(float[] dy, int dyo, float[] s, int so, float[] dx, int dxo, int len,
                           boolean accumulate) {
    VectorSpecies<Float> sp = sp();
    VectorMask<Float> acc = sp.maskAll(accumulate);
    for (int i = 0; i < len; i += sp.length()) {
      VectorMask<Float> m = tail(i, len);
      FloatVector y = FloatVector.fromArray(sp, s, so + i, m);
      FloatVector.fromArray(sp, dy, dyo + i, m).mul(y.mul(y.neg().add(1f)))
          .add(FloatVector.fromArray(sp, dx, dxo + i, m), acc).intoArray(dx, dxo + i, m);
    }
  }

  private void tanhBack(float[] dy, int dyo, float[] s, int so, float[] dx, int dxo, int len,
                        boolean accumulate) {
    VectorSpecies<Float> sp = sp();
    VectorMask<Float> acc = sp.maskAll(accumulate);
    for (int i = 0; i < len; i += sp.length()) {
      VectorMask<Float> m = tail(i, len);
      FloatVector y = FloatVector.fromArray(sp, s, so + i, m);
      FloatVector.fromArray(sp, dy, dyo + i, m).mul(y.mul(y).neg().add(1f))
          .add(FloatVector.fromArray(sp, dx, dxo + i, m), acc).intoArray(dx, dxo + i, m);
    }
  }

  /** ReLU and leaky ReLU: act' is {@code above} where s &gt; 0, else {@code below}. */
  private void stepBack(float[] dy, int dyo, float[] s, int so, float[] dx, int dxo, int len,
                        boolean accumulate, float below, float above) {
    VectorSpecies<Float> sp = sp();
    FloatVector low = FloatVector.broadcast(sp, below);
    VectorMask<Float> acc = sp.maskAll(accumulate);
    for (int i = 0; i < len; i += sp.length()) {
      VectorMask<Float> m = tail(i, len);
      FloatVector y = FloatVector.fromArray(sp, s, so + i, m);
      FloatVector.fromArray(sp, dy, dyo + i, m).mul(low.blend(above, y.compare(GT, 0f)))
          .add(FloatVector.fromArray(sp, dx, dxo + i, m), acc).intoArray(dx, dxo + i, m);
    }
  }

  /** ELU and SELU from their output: act' is {@code above} where s &gt; 0, else s + shift. */
  private void shiftedBack(float[] dy, int dyo, float[] s, int so, float[] dx, int dxo, int len,
                           boolean accumulate, float shift, float above) {
    VectorSpecies<Float> sp = sp();
    VectorMask<Float> acc = sp.maskAll(accumulate);
    for (int i = 0; i < len; i += sp.length()) {
      VectorMask<Float> m = tail(i, len);
      FloatVector y = FloatVector.fromArray(sp, s, so + i, m);
      FloatVector.fromArray(sp, dy, dyo + i, m).mul(y.add(shift).blend(above, y.compare(GT, 0f)))
          .add(FloatVector.fromArray(sp, dx, dxo + i, m), acc).intoArray(dx, dxo + i, m);
    }
  }

  /** act' = Φ(s) + s·φ(s) with φ and the Mills ratio as in {@link #geluLoop}. */
  private void geluBack(float[] dy, int dyo, float[] s, int so, float[] dx, int dxo, int len,
                        boolean accumulate) {
    VectorSpecies<Float> sp = sp();
    VectorMask<Float> acc = sp.maskAll(accumulate);
    FloatVector one = FloatVector.broadcast(sp, 1f);
    FloatVector cap = FloatVector.broadcast(sp, GELU_CAP);
    FloatVector magic = FloatVector.broadcast(sp, EXP_MAGIC);
    FloatVector twoLn2 = FloatVector.broadcast(sp, TWO_LN2);
    for (int i = 0; i < len; i += sp.length()) {
      VectorMask<Float> m = tail(i, len);
      FloatVector v = FloatVector.fromArray(sp, s, so + i, m);
      FloatVector a = v.abs();
      a = a.blend(cap, a.compare(GT, cap));
      FloatVector a2 = a.mul(a);
      FloatVector kf = a2.fma(NEG_HALF_LOG2E, EXP_MAGIC);
      FloatVector w = kf.sub(magic).fma(twoLn2, a2);
      FloatVector c = w.fma(C5, C4).fma(w, FloatVector.broadcast(sp, C3)).fma(w, FloatVector.broadcast(sp, C2));
      c = c.fma(w, FloatVector.broadcast(sp, C1)).fma(w, FloatVector.broadcast(sp, C0));
      FloatVector pdf = c.mul(kf.reinterpretAsInts().max(EXP_MAGIC_BITS).lanewise(LSHL, 23).reinterpretAsFloats());
      FloatVector t = a.fma(R_T, 1f);
      t = one.div(t);
      FloatVector q = t.fma(Q6, Q5).fma(t, FloatVector.broadcast(sp, Q4)).fma(t, FloatVector.broadcast(sp, Q3));
      q = q.fma(t, FloatVector.broadcast(sp, Q2));
      q = q.fma(t, FloatVector.broadcast(sp, Q1)).fma(t, FloatVector.broadcast(sp, Q0));
      FloatVector low = pdf.mul(q.fma(t, a.neg())); // Φ(−a) − a·φ(a)
      FloatVector d = low.blend(one.sub(low), v.compare(GT, 0f));
      FloatVector.fromArray(sp, dy, dyo + i, m).mul(d)
          .add(FloatVector.fromArray(sp, dx, dxo + i, m), acc).intoArray(dx, dxo + i, m);
    }
  }

  private void swishBack(float[] dy, int dyo, float[] s, int so, float[] dx, int dxo, int len,
                         boolean accumulate) {
    VectorSpecies<Float> sp = sp();
    VectorMask<Float> acc = sp.maskAll(accumulate);
    FloatVector one = FloatVector.broadcast(sp, 1f);
    for (int i = 0; i < len; i += sp.length()) {
      VectorMask<Float> m = tail(i, len);
      FloatVector v = FloatVector.fromArray(sp, s, so + i, m);
      FloatVector g = one.div(v.neg().lanewise(EXP).add(1f));
      FloatVector d = g.mul(v.mul(one.sub(g)).add(1f));
      FloatVector.fromArray(sp, dy, dyo + i, m).mul(d)
          .add(FloatVector.fromArray(sp, dx, dxo + i, m), acc).intoArray(dx, dxo + i, m);
    }
  }
}
