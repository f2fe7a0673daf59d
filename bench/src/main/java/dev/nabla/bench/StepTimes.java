package dev.nabla.bench;

import dev.nabla.runtime.Network;
import dev.nabla.runtime.parallel.Parallel;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a model's training step and one-example prediction spend their time, per generated step
 * method: after the JIT warm-up of {@link ModelBench}, each private {@code ...Forward} and {@code
 * ...Backward} method of the generated class (and the loss and the optimiser update) is called on
 * its own, on the arena a whole step left, and timed as a median; blocks repeated with {@code
 * repeat} are also summed over their copies ({@code blocks*}). The sum of the medians next to the
 * whole call's median tells how much the isolation changes (warm caches mostly). Each step's heap
 * allocation per call (after warm-up; should be 0) is printed beside its time.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Dnabla.threads=1 -cp ... dev.nabla.bench.StepTimes --model gpt
 * </pre>
 *
 * <p>Options: {@code --model NAME} (default gpt), {@code --runs N} (default 50), {@code
 * --jit-warmup-ms N} (default 5000).
 */
public final class StepTimes {
  private StepTimes() {}

  public static void main(String[] args) throws Exception {
    Args a = Args.parse(args);
    String name = a.string("model", "gpt");
    int runs = a.integer("runs", 50);
    long warm = a.integer("jit-warmup-ms", 5000);
    ModelBench.Entry e = ModelBench.MODELS.get(name);
    if (e == null) throw new IllegalArgumentException("no model '" + name + "'; have " + ModelBench.MODELS.keySet());
    Network model = e.create().get();
    ModelBench.Data d = ModelBench.Data.of(e, model);
    int batch = e.batch();

    Runnable train = () -> model.trainStep(d.x(), d.labels(), batch);
    Runnable predict = () -> model.predict(d.one(), 1, d.out());
    ModelBench.warmJit(train, warm);
    ModelBench.warmJit(predict, warm);
    double trainNs = ModelBench.medianNanos(train, runs, 5);
    double predictNs = ModelBench.medianNanos(predict, runs * 4, 20);

    System.out.printf(Locale.ROOT, "%s, %d thread(s)%n", name, Parallel.threads());
    train.run();
    report("train step, batch " + batch, model, batch, d, trainNs, runs, true);
    predict.run();
    report("predict, one example", model, 1, d, predictNs, runs * 4, false);
  }

  private static void report(String title, Network model, int batch, ModelBench.Data d, double wholeNs, int runs,
      boolean training) throws Exception {
    Map<String, Double> each = new LinkedHashMap<>();
    Map<String, Long> alloc = new LinkedHashMap<>();
    for (Method m : steps(model.getClass(), training)) {
      Object[] args = arguments(m, batch, d);
      Runnable call = () -> {
        try {
          m.invoke(model, args);
        } catch (IllegalAccessException | InvocationTargetException ex) {
          throw new IllegalStateException(m.getName(), ex);
        }
      };
      each.put(m.getName(), ModelBench.medianNanos(call, runs, Math.max(10, runs / 5)));
      alloc.put(m.getName(), ModelBench.allocatedPerCall(call, 10));
    }
    Map<String, Double> kinds = new LinkedHashMap<>();
    Map<String, Integer> copies = new LinkedHashMap<>();
    Map<String, Long> kindAlloc = new LinkedHashMap<>();
    each.forEach((n, t) -> {
      String kind = n.replaceFirst("^([a-z]+)\\d+", "$1*");
      kinds.merge(kind, t, Double::sum);
      copies.merge(kind, 1, Integer::sum);
      kindAlloc.merge(kind, alloc.get(n), Long::sum);
    });
    double sum = each.values().stream().mapToDouble(Double::doubleValue).sum();
    System.out.printf(Locale.ROOT, "%n%s: whole call %.1f µs (median), sum of the steps alone %.1f µs%n", title,
        wholeNs / 1e3, sum / 1e3);
    System.out.printf(Locale.ROOT, "  %-28s %6s %12s %8s %12s%n", "step", "copies", "µs (total)", "share",
        "alloc B");
    List<Map.Entry<String, Double>> rows = new ArrayList<>(kinds.entrySet());
    rows.sort((x, y) -> Double.compare(y.getValue(), x.getValue()));
    for (Map.Entry<String, Double> r : rows) {
      System.out.printf(Locale.ROOT, "  %-28s %6d %12.1f %7.1f%% %12d%n", r.getKey(), copies.get(r.getKey()),
          r.getValue() / 1e3, 100 * r.getValue() / sum, kindAlloc.get(r.getKey()));
    }
  }

  /** The generated step methods a training step (or a prediction) calls. */
  private static List<Method> steps(Class<?> type, boolean training) {
    List<Method> out = new ArrayList<>();
    for (Method m : type.getDeclaredMethods()) {
      String n = m.getName();
      if (!Modifier.isPrivate(m.getModifiers()) || Modifier.isStatic(m.getModifiers())) continue;
      boolean step = n.endsWith("Forward") || (training && (n.endsWith("Backward") || n.equals("adamUpdate")
          || n.equals("softmaxCrossEntropy") || n.endsWith("Update")));
      if (!step) continue;
      m.setAccessible(true);
      out.add(m);
    }
    out.sort((a, b) -> a.getName().compareTo(b.getName()));
    return out;
  }

  private static Object[] arguments(Method m, int batch, ModelBench.Data d) {
    Class<?>[] p = m.getParameterTypes();
    Object[] args = new Object[p.length];
    for (int i = 0; i < p.length; i++) {
      if (p[i] == int.class) args[i] = batch;
      else if (p[i] == float[].class) args[i] = batch == 1 ? d.one() : d.x();
      else if (p[i] == int[].class) args[i] = d.labels();
      else throw new IllegalStateException("unexpected parameter " + p[i] + " of " + m);
    }
    return args;
  }
}
