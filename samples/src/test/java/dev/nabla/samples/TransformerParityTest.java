package dev.nabla.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.runtime.Network;
import dev.nabla.runtime.NetworkF64;
import dev.nabla.runtime.ParameterSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A pre-norm transformer block matches PyTorch's {@code nn.TransformerEncoderLayer(norm_first=True,
 * activation="gelu")} on the same weights and batch: output, loss and every parameter gradient.
 *
 * <p>The fixture in {@code src/test/resources/parity} is written by {@code
 * make_transformer_fixture.py} (PyTorch 1.13, float64 throughout): the layer's state_dict as
 * safetensors (F64 and F32 copies of the same float32-representable values; every bias and both
 * layer norms' weights and biases are random, not torch's 0 / 1), a batch of 3 sequences of 6
 * positions by 16 features with an MSE target, and for two runs, {@code causal} (src_mask =
 * triu(-inf, 1)) and {@code full} (no mask), the output, the mean {@code F.mse_loss} and each
 * parameter's gradient by torch name. {@link TransformerBlock} (causal) and {@link
 * TransformerBlockFull} declare the same block with torch's field names, so {@code load} and
 * {@code parameterSpecs()} line up with the state_dict.
 *
 * <p>Error measure, per tensor (the output, each gradient): max |nabla − torch| / max |torch|, as
 * {@code GradientCheck.normRelativeError}; the loss, a scalar, by its relative error. Tolerances:
 * {@link #TOL_F64} for the double models, {@link #TOL_F32} for the float models (whose inputs and
 * weights are the same numbers, so the difference is float32 arithmetic alone).
 *
 * <p>One gradient is zero in exact arithmetic: the key third of {@code self_attn.in_proj_bias}
 * (adding b_k to every key adds q·b_k to a whole row of scores, which the softmax ignores). Both
 * sides hold rounding noise there (~1e-17); measured against the tensor's largest element it is
 * far below either tolerance.
 */
class TransformerParityTest {
  /**
   * Double models. Both sides compute in float64 from the same numbers, so they differ only in
   * summation order (SIMD lanes, blocked GEMMs, the online softmax against torch's two-pass one) and
   * FMA contraction: measured 2e-16..2.3e-15 on every tensor. 1e-12 leaves ~400× for other
   * vector widths and platforms while still catching any real error (a wrong mask, scale or bias
   * shows at 1e-2 and above).
   */
  static final double TOL_F64 = 1e-12;
  /** Float models against the float64 reference. */
  static final double TOL_F32 = 1e-4;

  record Case(double[] output, double loss, Map<String, double[]> grads, Map<String, int[]> shapes) {}

  record Fixture(int batch, int t, int c, double[] x, double[] target, Case causal, Case full) {}

  /** What a model computed, widened to double. */
  record Result(double[] output, double loss, double[] grads, List<ParameterSpec> specs) {}

  @Test
  void causalDoubleModelMatchesTorch() throws Exception {
    Fixture f = fixture();
    check("causal F64", run(TransformerBlockModelF64.create(1), f), f.causal(), TOL_F64);
  }

  @Test
  void causalFloatModelMatchesTorch() throws Exception {
    Fixture f = fixture();
    check("causal F32", run(TransformerBlockModel.create(1), f), f.causal(), TOL_F32);
  }

  @Test
  void unmaskedDoubleModelMatchesTorch() throws Exception {
    Fixture f = fixture();
    check("full F64", run(TransformerBlockFullModelF64.create(1), f), f.full(), TOL_F64);
  }

  @Test
  void unmaskedFloatModelMatchesTorch() throws Exception {
    Fixture f = fixture();
    check("full F32", run(TransformerBlockFullModel.create(1), f), f.full(), TOL_F32);
  }

  /** The fixture is as the declarations expect, and the mask matters on it. */
  @Test
  void fixtureFitsTheDeclarations() throws Exception {
    Fixture f = fixture();
    assertEquals(TransformerBlockModelF64.INPUT_SIZE, f.t() * f.c());
    assertEquals(TransformerBlockModelF64.OUTPUT_SIZE, f.t() * f.c());
    assertEquals(f.batch() * f.t() * f.c(), f.x().length);
    assertEquals(f.x().length, f.target().length);
    for (double v : f.x()) assertEquals(v, (double) (float) v, 0.0, "x is float32-representable");
    // causal and full differ before the last position and agree at it (the last query sees every key)
    double before = 0, last = 0;
    for (int b = 0; b < f.batch(); b++) {
      for (int i = 0; i < f.t(); i++) {
        for (int j = 0; j < f.c(); j++) {
          int k = (b * f.t() + i) * f.c() + j;
          double d = Math.abs(f.causal().output()[k] - f.full().output()[k]);
          if (i == f.t() - 1) last = Math.max(last, d);
          else before = Math.max(before, d);
        }
      }
    }
    assertTrue(before > 1e-3, "the mask changes the output before the last position");
    assertTrue(last < 1e-12, "the last position attends to everything either way");
  }

  @Test
  void bothWeightFilesHoldTheSameValues() throws Exception {
    TransformerBlockModelF64 a = TransformerBlockModelF64.create(1);
    a.load(DigitNetParityTest.resource("transformer_f64.safetensors"));
    TransformerBlockModel b = TransformerBlockModel.create(2);
    b.load(DigitNetParityTest.resource("transformer_f32.safetensors"));
    double[] pa = a.parameters();
    float[] pb = b.parameters();
    assertEquals(pa.length, pb.length);
    for (int i = 0; i < pa.length; i++) assertEquals(pa[i], (double) pb[i], 0.0, "parameter " + i);
  }

  static Result run(NetworkF64 net, Fixture f) throws Exception {
    net.load(DigitNetParityTest.resource("transformer_f64.safetensors"));
    net.setDivergenceCheck(true);
    double[] out = new double[f.x().length];
    net.predict(f.x(), f.batch(), out);
    double loss = net.computeGradients(f.x(), f.target(), f.batch());
    return new Result(out, loss, net.gradients().clone(), net.parameterSpecs());
  }

  static Result run(Network net, Fixture f) throws Exception {
    net.load(DigitNetParityTest.resource("transformer_f32.safetensors"));
    net.setDivergenceCheck(true);
    float[] x = toFloat(f.x()), target = toFloat(f.target());
    float[] out = new float[x.length];
    net.predict(x, f.batch(), out);
    float loss = net.computeGradients(x, target, f.batch());
    return new Result(toDouble(out), loss, toDouble(net.gradients()), net.parameterSpecs());
  }

  /** Compares everything, printing every error, then fails on the first tensor over {@code tol}. */
  static void check(String what, Result r, Case want, double tol) {
    assertEquals(want.grads().keySet(), r.specs().stream().map(ParameterSpec::name)
        .collect(Collectors.toCollection(LinkedHashSet::new)), what + ": parameter names");
    Map<String, Double> errors = new LinkedHashMap<>();
    errors.put("output", normRelative(r.output(), 0, want.output()));
    errors.put("loss", Math.abs(r.loss() - want.loss()) / Math.abs(want.loss()));
    for (ParameterSpec s : r.specs()) {
      double[] g = want.grads().get(s.name());
      assertNotNull(g, s.name());
      assertArrayEquals(want.shapes().get(s.name()), s.shape(), s.name() + " shape");
      assertEquals(g.length, s.size(), s.name());
      errors.put(s.name(), normRelative(r.grads(), s.offset(), g));
    }
    StringBuilder failures = new StringBuilder();
    for (var e : errors.entrySet()) {
      System.out.printf(Locale.ROOT, "parity transformer %s %s (tol %.0e): %.2e%n", what, e.getKey(), tol,
          e.getValue());
      if (!(e.getValue() <= tol)) {
        failures.append(String.format(Locale.ROOT, "%n  %s: %.3g > %.0e", e.getKey(), e.getValue(), tol));
      }
    }
    assertTrue(failures.isEmpty(), what + " differs from torch (max |nabla − torch| / max |torch|):" + failures);
  }

  /** max |a[off + i] − b[i]| / max |b[i]|. */
  static double normRelative(double[] a, int off, double[] b) {
    double diff = 0, scale = 0;
    for (int i = 0; i < b.length; i++) {
      diff = Math.max(diff, Math.abs(a[off + i] - b[i]));
      scale = Math.max(scale, Math.abs(b[i]));
    }
    return Double.isNaN(diff) ? Double.NaN : diff / Math.max(scale, 1e-30);
  }

  private static float[] toFloat(double[] a) {
    float[] out = new float[a.length];
    for (int i = 0; i < a.length; i++) out[i] = (float) a[i];
    return out;
  }

  private static double[] toDouble(float[] a) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) out[i] = a[i];
    return out;
  }

  @SuppressWarnings("unchecked")
  static Fixture fixture() throws IOException {
    String text;
    try (InputStream in = TransformerParityTest.class.getResourceAsStream("/parity/transformer_grads.json")) {
      assertNotNull(in, "missing /parity/transformer_grads.json");
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Map<String, Object> root = (Map<String, Object>) new DigitNetParityTest.MiniJson(text).value();
    return new Fixture(integer(root.get("batch")), integer(root.get("T")), integer(root.get("C")),
        doubles(root.get("x")), doubles(root.get("target")),
        parseCase((Map<String, Object>) root.get("causal")), parseCase((Map<String, Object>) root.get("full")));
  }

  @SuppressWarnings("unchecked")
  private static Case parseCase(Map<String, Object> c) {
    assertNotNull(c, "missing case in transformer_grads.json");
    Map<String, double[]> grads = new LinkedHashMap<>();
    Map<String, int[]> shapes = new LinkedHashMap<>();
    for (var e : ((Map<String, Object>) c.get("gradients")).entrySet()) {
      Map<String, Object> t = (Map<String, Object>) e.getValue();
      grads.put(e.getKey(), doubles(t.get("values")));
      double[] sh = doubles(t.get("shape"));
      int[] shape = new int[sh.length];
      for (int i = 0; i < sh.length; i++) shape[i] = (int) sh[i];
      shapes.put(e.getKey(), shape);
    }
    return new Case(doubles(c.get("output")), (Double) c.get("loss"), grads, shapes);
  }

  private static int integer(Object v) {
    return (int) (double) (Double) v;
  }

  private static double[] doubles(Object list) {
    List<?> l = (List<?>) list;
    double[] out = new double[l.size()];
    for (int i = 0; i < out.length; i++) out[i] = (Double) l.get(i);
    return out;
  }
}
