package dev.nabla.runtime.kernel;

import static jdk.incubator.vector.VectorOperators.EXP;
import static jdk.incubator.vector.VectorOperators.EXPM1;
import static jdk.incubator.vector.VectorOperators.GT;

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
  /**
   * Coefficients of P in erfc(z) ≈ t·exp(−z² + P(t)), t = 1/(1 + z/2), z ≥ 0: a least-squares fit
   * (degree 9, z in [0, 9.5]) of log(erfc(z)/t) + z². Float evaluation stays within ~6e-7 absolute
   * and keeps relative accuracy in the tail, which GELU needs for negative inputs.
   */
  private static final float P0 = -1.2654712176564917f;
  private static final float P1 = 0.999186610233077f;
  private static final float P2 = 0.38112830886289095f;
  private static final float P3 = 0.0647403125582f;
  private static final float P4 = -0.09887993632733619f;
  private static final float P5 = 0.13039796442947582f;
  private static final float P6 = -0.9780926032062631f;
  private static final float P7 = 1.3889477049313192f;
  private static final float P8 = -0.7881860841289832f;
  private static final float P9 = 0.16622917375403595f;

  private static final float SQRT1_2 = 0.70710678f;
  private static final float INV_SQRT_2PI = 0.39894228f;
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
    FloatVector one = FloatVector.broadcast(sp, 1f);
    for (int i = 0; i < len; i += sp.length()) {
      VectorMask<Float> m = tail(i, len);
      FloatVector v = FloatVector.fromArray(sp, x, xo + i, m);
      FloatVector z = v.abs().mul(SQRT1_2);
      FloatVector t = one.div(z.mul(0.5f).add(1f));
      FloatVector poly = t.fma(P9, P8).fma(t, FloatVector.broadcast(sp, P7));
      poly = poly.fma(t, FloatVector.broadcast(sp, P6)).fma(t, FloatVector.broadcast(sp, P5));
      poly = poly.fma(t, FloatVector.broadcast(sp, P4)).fma(t, FloatVector.broadcast(sp, P3));
      poly = poly.fma(t, FloatVector.broadcast(sp, P2)).fma(t, FloatVector.broadcast(sp, P1));
      poly = poly.fma(t, FloatVector.broadcast(sp, P0));
      FloatVector halfErfc = t.mul(poly.sub(z.mul(z)).lanewise(EXP)).mul(0.5f);
      FloatVector cdf = halfErfc.blend(one.sub(halfErfc), v.compare(GT, 0f));
      v.mul(cdf).intoArray(y, yo + i, m);
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

  /** act' = Φ(s) + s·φ(s); Φ as in {@link #geluLoop}. */
  private void geluBack(float[] dy, int dyo, float[] s, int so, float[] dx, int dxo, int len,
                        boolean accumulate) {
    VectorSpecies<Float> sp = sp();
    VectorMask<Float> acc = sp.maskAll(accumulate);
    FloatVector one = FloatVector.broadcast(sp, 1f);
    for (int i = 0; i < len; i += sp.length()) {
      VectorMask<Float> m = tail(i, len);
      FloatVector v = FloatVector.fromArray(sp, s, so + i, m);
      FloatVector z = v.abs().mul(SQRT1_2);
      FloatVector t = one.div(z.mul(0.5f).add(1f));
      FloatVector poly = t.fma(P9, P8).fma(t, FloatVector.broadcast(sp, P7));
      poly = poly.fma(t, FloatVector.broadcast(sp, P6)).fma(t, FloatVector.broadcast(sp, P5));
      poly = poly.fma(t, FloatVector.broadcast(sp, P4)).fma(t, FloatVector.broadcast(sp, P3));
      poly = poly.fma(t, FloatVector.broadcast(sp, P2)).fma(t, FloatVector.broadcast(sp, P1));
      poly = poly.fma(t, FloatVector.broadcast(sp, P0));
      FloatVector halfErfc = t.mul(poly.sub(z.mul(z)).lanewise(EXP)).mul(0.5f);
      FloatVector cdf = halfErfc.blend(one.sub(halfErfc), v.compare(GT, 0f));
      FloatVector d = v.mul(v).mul(-0.5f).lanewise(EXP).mul(INV_SQRT_2PI).mul(v).add(cdf);
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
