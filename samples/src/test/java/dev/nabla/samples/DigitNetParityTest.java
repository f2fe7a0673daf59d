package dev.nabla.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.runtime.ParameterSpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The digit net's loss and gradients match PyTorch's on the same weights and batch.
 *
 * <p>The fixture in {@code src/test/resources/parity} is written by
 * {@code make_digitnet_fixture.py} (PyTorch 1.13, float64 throughout): the weights of
 * {@code Linear(784,16), Sigmoid, Linear(16,16), Sigmoid, Linear(16,10)} as safetensors (F64 and
 * F32 copies of the same float32-representable values), a batch of 8 inputs in [0, 1) with
 * labels, the mean {@code F.cross_entropy} loss and every parameter's gradient by PyTorch name.
 *
 * <p>Tolerances. Double model: loss within 1e-5 relative; for each tensor the norm-wise error
 * {@code ||g - g_torch|| / ||g_torch||} ≤ 1e-5, and each element {@code |g_i - t_i| ≤ 1e-5 *
 * max(|t_i|, FLOOR)} with the absolute floor {@code FLOOR = 1e-3 * max_j |t_j|} of that tensor (so
 * elements that are tiny relative to the tensor, where cancellation makes relative error
 * meaningless, are held to 1e-8 of the tensor's largest element). Float model: the same checks
 * with 1e-4 and the floor {@code 1e-2 * max_j |t_j|} (float32 rounding in the sums behind an
 * element is relative to the tensor's scale, not the element's, so tiny elements are held to 1e-6
 * of the largest).
 */
class DigitNetParityTest {
  /** Per-element absolute floor of the double model, as a fraction of the tensor's largest |element|. */
  static final double FLOOR_F64 = 1e-3;
  /** The float model's floor: float32 sums of ~800 products lose ~1e-4 of the tensor's scale. */
  static final double FLOOR_F32 = 1e-2;

  record Fixture(int batch, double[] inputs, int[] labels, double loss, Map<String, double[]> grads,
      Map<String, int[]> shapes) {}

  @Test
  void doubleModelMatchesTorchWithin1e5() throws Exception {
    Fixture f = fixture();
    DigitNetModelF64 net = DigitNetModelF64.create(1);
    net.load(resource("digitnet_f64.safetensors"));
    double loss = net.computeGradients(f.inputs(), f.labels(), f.batch());
    assertRelative("loss", f.loss(), loss, 1e-5);
    compare(net.parameterSpecs(), net.gradients(), f, 1e-5, FLOOR_F64);
  }

  @Test
  void floatModelMatchesTorchWithin1e4() throws Exception {
    Fixture f = fixture();
    DigitNetModel net = DigitNetModel.create(1);
    net.load(resource("digitnet_f32.safetensors"));
    float[] x = new float[f.inputs().length];
    for (int i = 0; i < x.length; i++) x[i] = (float) f.inputs()[i];
    float loss = net.computeGradients(x, f.labels(), f.batch());
    assertRelative("loss", f.loss(), loss, 1e-4);
    float[] g = net.gradients();
    double[] gd = new double[g.length];
    for (int i = 0; i < g.length; i++) gd[i] = g[i];
    compare(net.parameterSpecs(), gd, f, 1e-4, FLOOR_F32);
  }

  @Test
  void bothWeightFilesHoldTheSameValues() throws Exception {
    DigitNetModelF64 a = DigitNetModelF64.create(1);
    a.load(resource("digitnet_f64.safetensors"));
    DigitNetModel b = DigitNetModel.create(2);
    b.load(resource("digitnet_f32.safetensors"));
    double[] pa = a.parameters();
    float[] pb = b.parameters();
    assertEquals(pa.length, pb.length);
    for (int i = 0; i < pa.length; i++) assertEquals(pa[i], (double) pb[i], 0.0, "parameter " + i);
  }

  private static void compare(List<ParameterSpec> specs, double[] grads, Fixture f, double tol,
      double floorFraction) {
    assertEquals(f.grads().keySet(), specs.stream().map(ParameterSpec::name)
        .collect(java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new)));
    for (ParameterSpec s : specs) {
      double[] want = f.grads().get(s.name());
      assertNotNull(want, s.name());
      assertArrayEquals(f.shapes().get(s.name()), s.shape(), s.name() + " shape");
      assertEquals(want.length, s.size(), s.name());
      double diff2 = 0, norm2 = 0, max = 0;
      for (int i = 0; i < want.length; i++) {
        double d = grads[s.offset() + i] - want[i];
        diff2 += d * d;
        norm2 += want[i] * want[i];
        max = Math.max(max, Math.abs(want[i]));
      }
      double normRel = Math.sqrt(diff2 / norm2);
      assertTrue(normRel <= tol, String.format(Locale.ROOT, "%s: norm-wise relative error %.3g > %.0g",
          s.name(), normRel, tol));
      System.out.printf(Locale.ROOT, "parity %s (tol %.0g): norm-wise %.2e%n", s.name(), tol, normRel);
      double floor = floorFraction * max;
      double worst = 0;
      for (int i = 0; i < want.length; i++) {
        double got = grads[s.offset() + i];
        double bound = tol * Math.max(Math.abs(want[i]), floor);
        worst = Math.max(worst, Math.abs(got - want[i]) / Math.max(Math.abs(want[i]), floor));
        if (!(Math.abs(got - want[i]) <= bound)) {
          throw new AssertionError(String.format(Locale.ROOT,
              "%s[%d]: nabla %.17g, torch %.17g, |diff| %.3g > %.3g", s.name(), i, got, want[i],
              Math.abs(got - want[i]), bound));
        }
      }
      System.out.printf(Locale.ROOT, "parity %s (tol %.0g): worst element-wise %.2e%n", s.name(), tol, worst);
    }
  }

  private static void assertRelative(String what, double want, double got, double tol) {
    double rel = Math.abs(got - want) / Math.abs(want);
    System.out.printf(Locale.ROOT, "parity %s (tol %.0g): relative %.2e%n", what, tol, rel);
    assertTrue(rel <= tol, String.format(Locale.ROOT, "%s: nabla %.17g, torch %.17g, relative error %.3g > %.0g",
        what, got, want, rel, tol));
  }

  static Path resource(String name) throws URISyntaxException {
    var url = DigitNetParityTest.class.getResource("/parity/" + name);
    assertNotNull(url, "missing test resource /parity/" + name);
    return Path.of(url.toURI());
  }

  @SuppressWarnings("unchecked")
  static Fixture fixture() throws IOException {
    String text;
    try (InputStream in = DigitNetParityTest.class.getResourceAsStream("/parity/digitnet_grads.json")) {
      assertNotNull(in, "missing /parity/digitnet_grads.json");
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Map<String, Object> root = (Map<String, Object>) new MiniJson(text).value();
    double[] inputs = doubles(root.get("inputs"));
    double[] labelsD = doubles(root.get("labels"));
    int[] labels = new int[labelsD.length];
    for (int i = 0; i < labels.length; i++) labels[i] = (int) labelsD[i];
    Map<String, double[]> grads = new LinkedHashMap<>();
    Map<String, int[]> shapes = new LinkedHashMap<>();
    for (var e : ((Map<String, Object>) root.get("gradients")).entrySet()) {
      Map<String, Object> t = (Map<String, Object>) e.getValue();
      grads.put(e.getKey(), doubles(t.get("values")));
      double[] sh = doubles(t.get("shape"));
      int[] shape = new int[sh.length];
      for (int i = 0; i < sh.length; i++) shape[i] = (int) sh[i];
      shapes.put(e.getKey(), shape);
    }
    int batch = (int) (double) (Double) root.get("batch");
    return new Fixture(batch, inputs, labels, (Double) root.get("loss"), grads, shapes);
  }

  private static double[] doubles(Object list) {
    List<?> l = (List<?>) list;
    double[] out = new double[l.size()];
    for (int i = 0; i < out.length; i++) out[i] = (Double) l.get(i);
    return out;
  }

  /** Just enough JSON for the fixture: objects, arrays, strings without escapes, numbers. */
  static final class MiniJson {
    private final String s;
    private int i;

    MiniJson(String s) {
      this.s = s;
    }

    Object value() {
      skip();
      char c = s.charAt(i);
      if (c == '{') {
        i++;
        Map<String, Object> m = new LinkedHashMap<>();
        skip();
        if (s.charAt(i) == '}') { i++; return m; }
        while (true) {
          skip();
          String k = (String) value();
          skip();
          expect(':');
          m.put(k, value());
          skip();
          if (s.charAt(i) == ',') { i++; continue; }
          expect('}');
          return m;
        }
      }
      if (c == '[') {
        i++;
        List<Object> l = new ArrayList<>();
        skip();
        if (s.charAt(i) == ']') { i++; return l; }
        while (true) {
          l.add(value());
          skip();
          if (s.charAt(i) == ',') { i++; continue; }
          expect(']');
          return l;
        }
      }
      if (c == '"') {
        int end = s.indexOf('"', i + 1);
        String str = s.substring(i + 1, end);
        i = end + 1;
        return str;
      }
      int start = i;
      while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
      if (start == i) throw new IllegalArgumentException("unexpected '" + c + "' at " + i);
      return Double.parseDouble(s.substring(start, i));
    }

    private void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }

    private void expect(char c) {
      if (s.charAt(i) != c) throw new IllegalArgumentException("expected '" + c + "' at " + i);
      i++;
    }
  }
}
