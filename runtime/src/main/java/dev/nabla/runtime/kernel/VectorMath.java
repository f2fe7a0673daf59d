package dev.nabla.runtime.kernel;

import static jdk.incubator.vector.VectorOperators.EXP;
import static jdk.incubator.vector.VectorOperators.EXPM1;
import static jdk.incubator.vector.VectorOperators.GT;

import jdk.incubator.vector.FloatVector;
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

  static VectorMath of(VectorSpecies<Float> species) {
    return switch (species.vectorBitSize()) {
      case 128 -> new W128();
      case 256 -> new W256();
      case 512 -> new W512();
      default -> new Other(species);
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

  /** act(x) for element-wise codes; NONE and SOFTMAX (a row operation) pass x through. */
  FloatVector apply(FloatVector x, int act, float p) {
    return switch (act) {
      case Act.SIGMOID -> sigmoid(x);
      case Act.TANH -> x.lanewise(VectorOperators.TANH);
      case Act.RELU -> x.max(0f);
      case Act.LEAKY_RELU -> x.mul(p).blend(x, x.compare(GT, 0f));
      case Act.ELU -> x.lanewise(EXPM1).mul(p).blend(x, x.compare(GT, 0f));
      case Act.SELU -> selu(x);
      case Act.GELU -> x.mul(normalCdf(x));
      case Act.SWISH -> x.mul(sigmoid(x));
      default -> x;
    };
  }

  /**
   * act'(s), s the saved output (or input for GELU and Swish), for element-wise codes. Each case
   * is its own small method so the dispatch stays small enough for C2 to inline (a boxed vector
   * return value would allocate).
   */
  FloatVector derivative(FloatVector s, int act, float p) {
    return switch (act) {
      case Act.SIGMOID -> s.mul(s.neg().add(1f));
      case Act.TANH -> s.mul(s).neg().add(1f);
      case Act.RELU -> step(s, 0f, 1f);
      case Act.LEAKY_RELU -> step(s, p, 1f);
      case Act.ELU -> s.add(p).blend(1f, s.compare(GT, 0f));
      case Act.SELU -> s.add(SELU_SCALE_ALPHA).blend(SELU_SCALE, s.compare(GT, 0f));
      case Act.GELU -> geluDerivative(s);
      case Act.SWISH -> swishDerivative(s);
      default -> FloatVector.broadcast(sp(), 1f);
    };
  }

  private FloatVector step(FloatVector s, float below, float above) {
    return FloatVector.broadcast(sp(), below).blend(above, s.compare(GT, 0f));
  }

  private FloatVector geluDerivative(FloatVector s) {
    return normalCdf(s).add(s.mul(s).mul(-0.5f).lanewise(EXP).mul(INV_SQRT_2PI).mul(s));
  }

  private FloatVector swishDerivative(FloatVector s) {
    FloatVector g = sigmoid(s);
    return g.mul(s.mul(g.neg().add(1f)).add(1f));
  }

  private FloatVector selu(FloatVector x) {
    return x.lanewise(EXPM1).mul(SELU_SCALE_ALPHA).blend(x.mul(SELU_SCALE), x.compare(GT, 0f));
  }

  FloatVector sigmoid(FloatVector x) {
    return FloatVector.broadcast(sp(), 1f).div(x.neg().lanewise(EXP).add(1f));
  }

  /** Φ(x) = ½·erfc(−x/√2), from erfc of |x|/√2 so the left tail keeps its relative accuracy. */
  FloatVector normalCdf(FloatVector x) {
    FloatVector z = x.abs().mul(SQRT1_2);
    FloatVector t = FloatVector.broadcast(sp(), 1f).div(z.mul(0.5f).add(1f));
    FloatVector poly = t.fma(P9, P8).fma(t, FloatVector.broadcast(sp(), P7));
    poly = poly.fma(t, FloatVector.broadcast(sp(), P6)).fma(t, FloatVector.broadcast(sp(), P5));
    poly = poly.fma(t, FloatVector.broadcast(sp(), P4)).fma(t, FloatVector.broadcast(sp(), P3));
    poly = poly.fma(t, FloatVector.broadcast(sp(), P2)).fma(t, FloatVector.broadcast(sp(), P1));
    poly = poly.fma(t, FloatVector.broadcast(sp(), P0));
    FloatVector halfErfc = t.mul(poly.sub(z.mul(z)).lanewise(EXP)).mul(0.5f);
    return halfErfc.blend(FloatVector.broadcast(sp(), 1f).sub(halfErfc), x.compare(GT, 0f));
  }
}
