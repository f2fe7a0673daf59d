package dev.nabla.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.runtime.kernel.DoubleKernels;
import dev.nabla.runtime.kernel.FloatKernels;
import dev.nabla.runtime.kernel.Kernels;
import dev.nabla.runtime.kernel.ScalarDoubleKernels;
import dev.nabla.runtime.kernel.ScalarFloatKernels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the PyTorch fixtures of parity/optimizer_fixtures.json (made by make_optimizer_fixtures.py
 * next to it): 10 steps of every optimiser, schedule and clipping case, in the double kernels (within
 * 1e-5 relative) and the scalar and SIMD float kernels (within 1e-4), with the learning rate of each
 * step from {@link Schedules}.
 */
class OptimizerParityTest {
  static final Map<String, Object> FIXTURES = load();

  @SuppressWarnings("unchecked")
  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (Object c : (List<Object>) FIXTURES.get("cases")) {
      Map<String, Object> m = (Map<String, Object>) c;
      all.add(Arguments.of(m.get("name"), m));
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void doubleKernelsMatchTorch(String name, Map<String, Object> c) {
    replayDouble(new ScalarDoubleKernels(), c, 1e-5);
    replayDouble(Kernels.F64, c, 1e-5);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void floatKernelsMatchTorch(String name, Map<String, Object> c) {
    replayFloat(new ScalarFloatKernels(), c, 1e-4);
    replayFloat(Kernels.F32, c, 1e-4);
  }

  /** The scheduled learning rate of step t (from 0), as a generated model computes it. */
  @SuppressWarnings("unchecked")
  static double learningRate(Map<String, Object> c, long t) {
    Map<String, Object> o = (Map<String, Object>) c.get("optimizer");
    Map<String, Object> s = (Map<String, Object>) c.get("schedule");
    double lr = num(o, "learningRate");
    double scheduled = switch ((String) s.get("type")) {
      case "STEP" -> Schedules.step(lr, num(s, "gamma"), (int) num(s, "stepSize"), t);
      case "EXPONENTIAL" -> Schedules.exponential(lr, num(s, "gamma"), t);
      case "CYCLIC" -> Schedules.cyclic(num(s, "baseLr"), lr, (int) num(s, "stepSizeUp"), t);
      case "COSINE" -> Schedules.cosineWarmRestarts(lr, num(s, "minLr"), (int) num(s, "period"),
          (int) num(s, "periodMultiplier"), t);
      default -> lr;
    };
    return s.containsKey("warmupSteps") ? Schedules.warmup(scheduled, (int) num(s, "warmupSteps"), t) : scheduled;
  }

  @SuppressWarnings("unchecked")
  private static void replayDouble(DoubleKernels k, Map<String, Object> c, double tolerance) {
    Map<String, Object> o = (Map<String, Object>) c.get("optimizer");
    double[] p = doubles(FIXTURES.get("initial"));
    int n = p.length;
    double[] s1 = new double[n], s2 = new double[n], s3 = new double[n];
    if (o.get("type").equals("ADAGRAD")) java.util.Arrays.fill(s1, num(o, "initialAccumulator"));
    boolean centered = Boolean.TRUE.equals(o.get("centered"));
    double muProduct = 1;
    List<Object> grads = (List<Object>) FIXTURES.get("grads");
    for (int t = 0; t < grads.size(); t++) {
      double[] g = doubles(grads.get(t));
      double lr = learningRate(c, t);
      assertEquals(num((List<Object>) c.get("lrs"), t), lr, 1e-12 * lr, c.get("name") + " lr of step " + t);
      double scale = Schedules.clipScale(num(c, "clipNorm"), k.gradNorm(g, 0, n));
      long step = t + 1;
      switch ((String) o.get("type")) {
        case "SGD" -> k.sgdUpdate(p, g, s1, 0, n, lr, num(o, "momentum"), (Boolean) o.get("nesterov"), scale);
        case "ADAM" -> k.adamUpdate(p, g, s1, s2, 0, n, lr, num(o, "beta1"), num(o, "beta2"), num(o, "epsilon"),
            step, scale);
        case "ADAMW" -> k.adamwUpdate(p, g, s1, s2, 0, n, lr, num(o, "beta1"), num(o, "beta2"), num(o, "epsilon"),
            num(o, "weightDecay"), step, scale);
        case "ADAGRAD" -> k.adagradUpdate(p, g, s1, 0, n, lr, num(o, "epsilon"), scale);
        case "RMSPROP" -> k.rmspropUpdate(p, g, s1, centered ? s2 : null, num(o, "momentum") > 0 ? s3 : null, 0, n,
            lr, num(o, "alpha"), num(o, "epsilon"), num(o, "momentum"), scale);
        case "ADADELTA" -> k.adadeltaUpdate(p, g, s1, s2, 0, n, lr, num(o, "rho"), num(o, "epsilon"), scale);
        case "ADAMAX" -> k.adamaxUpdate(p, g, s1, s2, 0, n, lr, num(o, "beta1"), num(o, "beta2"), num(o, "epsilon"),
            step, scale);
        case "NADAM" -> {
          muProduct *= Schedules.nadamMu(num(o, "beta1"), num(o, "momentumDecay"), step);
          k.nadamUpdate(p, g, s1, s2, 0, n, lr, num(o, "beta1"), num(o, "beta2"), num(o, "epsilon"),
              num(o, "momentumDecay"), step, muProduct, scale);
        }
        default -> throw new IllegalArgumentException((String) o.get("type"));
      }
      double[] expected = doubles(((List<Object>) c.get("params")).get(t));
      for (int i = 0; i < n; i++) {
        assertClose(expected[i], p[i], tolerance, c.get("name") + " " + k.describe() + " step " + t + " param " + i);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static void replayFloat(FloatKernels k, Map<String, Object> c, double tolerance) {
    Map<String, Object> o = (Map<String, Object>) c.get("optimizer");
    float[] p = floats(doubles(FIXTURES.get("initial")));
    int n = p.length;
    float[] s1 = new float[n], s2 = new float[n], s3 = new float[n];
    if (o.get("type").equals("ADAGRAD")) java.util.Arrays.fill(s1, (float) num(o, "initialAccumulator"));
    boolean centered = Boolean.TRUE.equals(o.get("centered"));
    double muProduct = 1;
    List<Object> grads = (List<Object>) FIXTURES.get("grads");
    for (int t = 0; t < grads.size(); t++) {
      float[] g = floats(doubles(grads.get(t)));
      float lr = (float) learningRate(c, t);
      float scale = (float) Schedules.clipScale(num(c, "clipNorm"), k.gradNorm(g, 0, n));
      long step = t + 1;
      switch ((String) o.get("type")) {
        case "SGD" -> k.sgdUpdate(p, g, s1, 0, n, lr, f(o, "momentum"), (Boolean) o.get("nesterov"), scale);
        case "ADAM" -> k.adamUpdate(p, g, s1, s2, 0, n, lr, f(o, "beta1"), f(o, "beta2"), f(o, "epsilon"),
            step, scale);
        case "ADAMW" -> k.adamwUpdate(p, g, s1, s2, 0, n, lr, f(o, "beta1"), f(o, "beta2"), f(o, "epsilon"),
            f(o, "weightDecay"), step, scale);
        case "ADAGRAD" -> k.adagradUpdate(p, g, s1, 0, n, lr, f(o, "epsilon"), scale);
        case "RMSPROP" -> k.rmspropUpdate(p, g, s1, centered ? s2 : null, num(o, "momentum") > 0 ? s3 : null, 0, n,
            lr, f(o, "alpha"), f(o, "epsilon"), f(o, "momentum"), scale);
        case "ADADELTA" -> k.adadeltaUpdate(p, g, s1, s2, 0, n, lr, f(o, "rho"), f(o, "epsilon"), scale);
        case "ADAMAX" -> k.adamaxUpdate(p, g, s1, s2, 0, n, lr, f(o, "beta1"), f(o, "beta2"), f(o, "epsilon"),
            step, scale);
        case "NADAM" -> {
          muProduct *= Schedules.nadamMu(f(o, "beta1"), f(o, "momentumDecay"), step);
          k.nadamUpdate(p, g, s1, s2, 0, n, lr, f(o, "beta1"), f(o, "beta2"), f(o, "epsilon"),
              f(o, "momentumDecay"), step, muProduct, scale);
        }
        default -> throw new IllegalArgumentException((String) o.get("type"));
      }
      double[] expected = doubles(((List<Object>) c.get("params")).get(t));
      for (int i = 0; i < n; i++) {
        assertClose(expected[i], p[i], tolerance, c.get("name") + " " + k.describe() + " step " + t + " param " + i);
      }
    }
  }

  /** Relative error, with parameters near zero measured against the vector's scale (1). */
  private static void assertClose(double expected, double actual, double tolerance, String what) {
    assertTrue(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
        what + ": expected " + expected + " but was " + actual);
  }

  private static float f(Map<String, Object> m, String key) {
    return (float) num(m, key);
  }

  private static double num(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).doubleValue();
  }

  private static double num(List<Object> l, int i) {
    return ((Number) l.get(i)).doubleValue();
  }

  @SuppressWarnings("unchecked")
  private static double[] doubles(Object list) {
    List<Object> l = (List<Object>) list;
    double[] a = new double[l.size()];
    for (int i = 0; i < a.length; i++) a[i] = ((Number) l.get(i)).doubleValue();
    return a;
  }

  private static float[] floats(double[] d) {
    float[] a = new float[d.length];
    for (int i = 0; i < a.length; i++) a[i] = (float) d[i];
    return a;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> load() {
    try (InputStream in = OptimizerParityTest.class.getResourceAsStream("/parity/optimizer_fixtures.json")) {
      return (Map<String, Object>) new Json(new String(in.readAllBytes(), StandardCharsets.UTF_8)).value();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Just enough JSON for the fixtures: objects, arrays, numbers, strings without escapes, booleans. */
  private static final class Json {
    private final String s;
    private int i;

    Json(String s) {
      this.s = s;
    }

    Object value() {
      skip();
      char ch = s.charAt(i);
      if (ch == '{') {
        Map<String, Object> m = new LinkedHashMap<>();
        i++;
        skip();
        if (s.charAt(i) == '}') {
          i++;
          return m;
        }
        while (true) {
          skip();
          String key = (String) value();
          skip();
          i++; // ':'
          m.put(key, value());
          skip();
          if (s.charAt(i++) == '}') return m;
        }
      }
      if (ch == '[') {
        List<Object> l = new ArrayList<>();
        i++;
        skip();
        if (s.charAt(i) == ']') {
          i++;
          return l;
        }
        while (true) {
          l.add(value());
          skip();
          if (s.charAt(i++) == ']') return l;
        }
      }
      if (ch == '"') {
        int end = s.indexOf('"', i + 1);
        String str = s.substring(i + 1, end);
        i = end + 1;
        return str;
      }
      if (s.startsWith("true", i)) {
        i += 4;
        return Boolean.TRUE;
      }
      if (s.startsWith("false", i)) {
        i += 5;
        return Boolean.FALSE;
      }
      int start = i;
      while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
      return Double.parseDouble(s.substring(start, i));
    }

    private void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }
  }
}
