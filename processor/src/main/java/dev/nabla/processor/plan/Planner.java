package dev.nabla.processor.plan;

import com.palantir.javapoet.CodeBlock;
import dev.nabla.processor.graph.Graph;
import dev.nabla.processor.graph.Node;
import dev.nabla.processor.graph.Shape;
import dev.nabla.processor.ops.ActivationFn;
import dev.nabla.processor.ops.ParamTensor;
import dev.nabla.processor.validation.ModelDecl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The plan stage: lays out the parameters, creates the logical buffers, asks each op for its
 * forward and backward steps (with the fusion decisions of {@link Fusion}), adds the fused loss
 * and optimiser steps, and plans the memory.
 */
public final class Planner {
  /** Field names of the generated class that steps refer to. */
  public static final String PARAMS = "params", GRADS = "grads", VELOCITY = "velocity";
  public static final String FIRST_MOMENT = "firstMoment", SECOND_MOMENT = "secondMoment";

  private final Graph graph;
  private final ModelDecl model;
  private final Fusion fusion;
  private final List<Step> steps = new ArrayList<>();
  private final List<String> fusions = new ArrayList<>();
  private final List<ParamSlot> params = new ArrayList<>();
  private final Map<String, ParamSlot> paramByName = new HashMap<>();
  private final Map<Integer, Buffer> out = new HashMap<>();
  private final Map<Integer, Buffer> pre = new HashMap<>();
  private final Map<Integer, Buffer> grad = new HashMap<>();
  private final Map<Integer, Buffer> gradPre = new HashMap<>();
  private final Map<String, Buffer> saved = new HashMap<>();
  private final Set<String> methodNames = new HashSet<>();
  private final Map<Integer, Plan.Check> checks = new HashMap<>();
  private int nextBuffer;
  private int parameterCount;
  private int cacheSize;
  private int inputColumns;

  private Planner(Graph graph, ModelDecl model) {
    this.graph = graph;
    this.model = model;
    this.fusion = new Fusion(graph);
  }

  public static Plan plan(Graph graph, ModelDecl model) {
    return new Planner(graph, model).run();
  }

  private Plan run() {
    for (Node n : graph.nodes()) layout(n);
    for (Node n : graph.nodes()) {
      if (!n.isInput()) n.op().forward(new Forward(n));
    }
    Buffer trainingOutputs = loss();
    for (int i = graph.nodes().size() - 1; i > 0; i--) {
      Node n = graph.node(i);
      if (!fusion.requiresGrad(n)) continue;
      if (fusion.needsActivationPass(n)) activationPass(n);
      n.op().backward(new Backward(n));
    }
    update();
    return new Plan(graph, model.loss(), model.optimizer(), params, parameterCount, steps,
        MemoryPlan.assign(steps), out.get(graph.output().id()), trainingOutputs, fusions, checks, inputColumns,
        decodable() ? cacheSize : -1);
  }

  /**
   * Whether the model is a next-token decoder that gets a KV-cache decode path: one token input,
   * an output of logits at every position of it, and attention only causal self-attention.
   */
  private boolean decodable() {
    Node in = graph.input();
    Node o = graph.output();
    if (graph.inputs().size() != 1 || !in.shape().isTokens() || !model.loss().equals("SOFTMAX_CROSS_ENTROPY")
        || o.shape().rank() != 2 || o.shape().dim(0) != in.shape().dim(0)) {
      return false;
    }
    boolean attention = false;
    for (Node n : graph.nodes()) {
      if (n.op() instanceof dev.nabla.processor.ops.AttentionOp a) {
        if (a.cross() || !a.causal()) return false;
        attention = true;
      }
    }
    return attention;
  }

  private void layout(Node n) {
    if (n.isInput()) {
      // inputs lie one after another in each example's row of x
      out.put(n.id(), new Buffer(nextBuffer++, n.name().equals("input") ? "input x" : "input " + n.name(),
          Buffer.Region.INPUT, n.shape(), inputColumns, false));
      inputColumns += n.shape().size();
      return;
    }
    for (ParamTensor t : n.op().parameters(graph.inputShapes(n), n.shape())) {
      String name = n.name() + "." + t.suffix();
      Shape s = Shape.of(t.dims());
      ParamSlot slot = new ParamSlot(name, t, parameterCount,
          new Buffer(nextBuffer++, name, Buffer.Region.PARAMS, s, parameterCount, false),
          new Buffer(nextBuffer++, "gradient of " + name, Buffer.Region.GRADS, s, parameterCount, false));
      params.add(slot);
      checks.put(slot.grad().id(), new Plan.Check(n.name(), "gradient of " + t.suffix()));
      paramByName.put(name, slot);
      parameterCount += t.size();
    }
    boolean isOutput = n == graph.output();
    out.put(n.id(), buffer(n.name() + " output", Buffer.Region.ARENA, n.shape(),
        isOutput && !model.loss().equals("SOFTMAX_CROSS_ENTROPY")));
    checks.put(out.get(n.id()).id(), new Plan.Check(n.name(), "output"));
    ActivationFn act = n.op().activation();
    if (act != ActivationFn.NONE && !act.derivativeFromOutput() && !n.op().isActivationOnly()) {
      pre.put(n.id(), buffer(n.name() + " pre-activation", Buffer.Region.ARENA, n.shape(), false));
      checks.put(pre.get(n.id()).id(), new Plan.Check(n.name(), "pre-activation"));
    }
    if (fusion.requiresGrad(n)) {
      grad.put(n.id(), buffer("gradient of " + n.name() + " output", Buffer.Region.ARENA, n.shape(), false));
      checks.put(grad.get(n.id()).id(), new Plan.Check(n.name(), "gradient"));
      if (fusion.needsActivationPass(n)) {
        gradPre.put(n.id(), buffer("gradient of " + n.name() + " pre-activation", Buffer.Region.ARENA, n.shape(), false));
        checks.put(gradPre.get(n.id()).id(), new Plan.Check(n.name(), "gradient of pre-activation"));
      } else if (fusion.folded(n)) {
        fusions.add(n.name() + ": " + act.name().toLowerCase() + "' folded into the backward of "
            + fusion.lastContributor(n).name());
      }
    }
  }

  private Buffer buffer(String label, Buffer.Region region, Shape shape, boolean persistent) {
    return new Buffer(nextBuffer++, label, region, shape, 0, persistent);
  }

  /** Buffer saved for the backward of an activation: its output, or its pre-activation. */
  private Buffer savedFor(Node n) {
    ActivationFn act = n.op().activation();
    if (act.derivativeFromOutput()) return out.get(n.id());
    return n.op().isActivationOnly() ? out.get(n.inputs().get(0)) : pre.get(n.id());
  }

  private String method(String base) {
    String name = base;
    for (int i = 2; !methodNames.add(name); i++) name = base + i;
    return name;
  }

  static String camel(String nodeName) {
    StringBuilder s = new StringBuilder();
    boolean upper = false;
    for (char ch : nodeName.toCharArray()) {
      if (ch == '.' || ch == '_' || ch == '-') {
        upper = true;
      } else {
        s.append(upper && s.length() > 0 ? Character.toUpperCase(ch) : ch);
        upper = false;
      }
    }
    return s.toString();
  }

  private Buffer loss() {
    Node o = graph.output();
    Buffer logits = out.get(o.id());
    boolean labels = model.loss().equals("SOFTMAX_CROSS_ENTROPY");
    Buffer target = buffer(labels ? "labels" : "targets", Buffer.Region.TARGET,
        labels ? Shape.of(o.shape().rowsPerExample()) : o.shape(), false);
    Buffer dOut = grad.get(o.id());
    if (model.loss().equals("SOFTMAX_CROSS_ENTROPY")) {
      Buffer probs = buffer("softmax probabilities", Buffer.Region.ARENA, o.shape(), true);
      fusions.add("loss: softmax and cross-entropy forward and backward in one pass");
      double eps = model.labelSmoothing();
      if (eps == 0) {
        steps.add(new Step(method("softmaxCrossEntropy"),
            "loss = mean cross-entropy of softmax(" + o.name() + "); d" + o.name() + " = (p − onehot) / B",
            Step.Phase.LOSS, List.of(logits, target), List.of(probs, dOut), false, e -> CodeBlock.of(
                "return $L.softmaxCrossEntropy($L, $L, $L, $L, $L, $L);\n", e.kernels(), e.ref(probs), e.ref(dOut),
                e.ref(logits), e.ref(target), e.rows(logits), o.shape().features())));
      } else {
        fusions.add("loss: label smoothing " + eps + " folded into the softmax cross-entropy");
        steps.add(new Step(method("softmaxCrossEntropy"),
            "loss = mean cross-entropy of softmax(" + o.name() + ") against t = (1 − ε)·onehot + ε/C, ε = " + eps
                + " (label smoothing); d" + o.name() + " = (p − t) / B",
            Step.Phase.LOSS, List.of(logits, target), List.of(probs, dOut), false, e -> CodeBlock.of(
                "return $L.softmaxCrossEntropy($L, $L, $L, $L, $L, $L, $L);\n", e.kernels(), e.ref(probs),
                e.ref(dOut), e.ref(logits), e.ref(target), e.rows(logits), o.shape().features(), e.literal(eps))));
      }
      return probs;
    }
    if (model.loss().equals("BINARY_CROSS_ENTROPY")) {
      fusions.add("loss: sigmoid and binary cross-entropy forward and backward in one pass");
      steps.add(new Step(method("binaryCrossEntropy"),
          "loss = mean(max(x, 0) − x·t + log(1 + e^−|x|)), x = " + o.name() + " (BCEWithLogitsLoss); d" + o.name()
              + " = (σ(x) − t) / (B·n)",
          Step.Phase.LOSS, List.of(logits, target), List.of(dOut), false, e -> CodeBlock.of(
              "return $L.binaryCrossEntropy($L, $L, $L, $L, $L);\n", e.kernels(), e.ref(dOut), e.ref(logits),
              e.ref(target), e.rows(logits), o.shape().features())));
      return logits;
    }
    steps.add(new Step(method("meanSquaredError"),
        "loss = mean((" + o.name() + " − target)²); d" + o.name() + " = 2(" + o.name() + " − target) / (B·n)",
        Step.Phase.LOSS, List.of(logits, target), List.of(dOut), false, e -> CodeBlock.of(
            "return $L.meanSquaredError($L, $L, $L, $L, $L);\n", e.kernels(), e.ref(dOut), e.ref(logits),
            e.ref(target), e.rows(logits), o.shape().features())));
    return logits;
  }

  private void activationPass(Node n) {
    ActivationFn act = n.op().activation();
    Buffer dy = grad.get(n.id()), dz = gradPre.get(n.id()), s = savedFor(n);
    steps.add(new Step(method(camel(n.name()) + "ActivationBackward"),
        "d(pre-activation) = d" + n.name() + " ⊙ " + act.name().toLowerCase() + "'",
        Step.Phase.BACKWARD, List.of(dy, s), List.of(dz), false, e -> CodeBlock.of(
            "$L.activationBackward($L, $L, $L, $L, $L, $L, $L, false);\n", e.kernels(), e.ref(dz), e.ref(dy),
            e.ref(s), e.rows(dy), dy.shape().features(), e.act(act), e.literal(n.op().activationParam()))));
  }

  private static final com.palantir.javapoet.ClassName SCHEDULES =
      com.palantir.javapoet.ClassName.get("dev.nabla.runtime.train", "Schedules");

  /**
   * The optimiser step: one fused kernel call over all parameters, with the scheduled learning rate
   * computed from the step counter and, with clipping, the global gradient norm taken first.
   */
  private void update() {
    var opt = model.optimizer();
    var sch = opt.schedule();
    StringBuilder doc = new StringBuilder(opt.displayName() + " over all " + parameterCount
        + " parameters in one pass: " + rule(opt));
    if (opt.clipNorm() > 0) {
      doc.append(".\n<p>The gradient is first clipped to global L2 norm ").append(opt.clipNorm())
          .append(": g ← g·min(1, ").append(opt.clipNorm()).append(" / (‖g‖ + 1e-6)) (clip_grad_norm_)");
    }
    boolean coupledDecay = opt.weightDecay() > 0 && !opt.type().equals("ADAMW");
    if (coupledDecay) {
      doc.append(".\n<p>Weight decay (coupled, every parameter, as torch's weight_decay): g ← g + ")
          .append(opt.weightDecay()).append("·p first");
    }
    if (sch.varies()) doc.append(".\n<p>Learning rate: ").append(scheduleText(opt.learningRate(), sch));
    steps.add(new Step(method(opt.type().toLowerCase(java.util.Locale.ROOT) + "Update"), doc.toString(), Step.Phase.UPDATE, List.of(),
        List.of(), false, e -> {
          CodeBlock.Builder c = CodeBlock.builder();
          CodeBlock lr = e.literal(opt.learningRate());
          if (sch.varies()) {
            c.addStatement("double lr = learningRate()");
            lr = e.narrow(CodeBlock.of("lr"));
          }
          CodeBlock scale = e.literal(1);
          if (opt.clipNorm() > 0) {
            c.addStatement("double norm = $L.gradNorm($L, 0, $L)", e.kernels(), GRADS, parameterCount);
            c.addStatement("double gradScale = $T.clipScale($L, norm)", SCHEDULES, opt.clipNorm());
            scale = e.narrow(CodeBlock.of("gradScale"));
          }
          if (coupledDecay) {
            c.addStatement("$L.decayGradients($L, $L, 0, $L, $L, $L)", e.kernels(), GRADS, PARAMS, parameterCount,
                scale, e.literal(opt.weightDecay()));
            scale = e.literal(1);
          }
          List<String> state = opt.state().stream().map(s -> s.field()).toList();
          CodeBlock head = CodeBlock.of("$L, $L", PARAMS, GRADS);
          int n = parameterCount;
          CodeBlock call = switch (opt.type()) {
            case "SGD" -> CodeBlock.of("$L.sgdUpdate($L, $L, 0, $L, $L, $L, $L, $L)", e.kernels(), head,
                opt.momentum() > 0 ? VELOCITY : "null", n, lr, e.literal(opt.momentum()), opt.nesterov(), scale);
            case "ADAM" -> CodeBlock.of("$L.adamUpdate($L, $L, $L, 0, $L, $L, $L, $L, $L, steps + 1, $L)", e.kernels(),
                head, state.get(0), state.get(1), n, lr, e.literal(opt.beta1()), e.literal(opt.beta2()),
                e.literal(opt.epsilon()), scale);
            case "ADAMW" -> CodeBlock.of("$L.adamwUpdate($L, $L, $L, 0, $L, $L, $L, $L, $L, $L, steps + 1, $L)",
                e.kernels(), head, state.get(0), state.get(1), n, lr, e.literal(opt.beta1()), e.literal(opt.beta2()),
                e.literal(opt.epsilon()), e.literal(opt.weightDecay()), scale);
            case "ADAMAX" -> CodeBlock.of("$L.adamaxUpdate($L, $L, $L, 0, $L, $L, $L, $L, $L, steps + 1, $L)",
                e.kernels(), head, state.get(0), state.get(1), n, lr, e.literal(opt.beta1()), e.literal(opt.beta2()),
                e.literal(opt.epsilon()), scale);
            case "NADAM" -> {
              c.addStatement("muProduct *= $T.nadamMu($L, $L, steps + 1)", SCHEDULES, e.literal(opt.beta1()),
                  e.literal(opt.momentumDecay()));
              yield CodeBlock.of("$L.nadamUpdate($L, $L, $L, 0, $L, $L, $L, $L, $L, $L, steps + 1, muProduct, $L)",
                  e.kernels(), head, state.get(0), state.get(1), n, lr, e.literal(opt.beta1()),
                  e.literal(opt.beta2()), e.literal(opt.epsilon()), e.literal(opt.momentumDecay()), scale);
            }
            case "ADAGRAD" -> CodeBlock.of("$L.adagradUpdate($L, $L, 0, $L, $L, $L, $L)", e.kernels(), head,
                state.get(0), n, lr, e.literal(opt.epsilon()), scale);
            case "RMSPROP" -> CodeBlock.of("$L.rmspropUpdate($L, $L, $L, $L, 0, $L, $L, $L, $L, $L, $L)", e.kernels(),
                head, state.get(0), opt.centered() ? "gradAverage" : "null",
                opt.momentum() > 0 ? "momentumBuffer" : "null", n, lr, e.literal(opt.alpha()),
                e.literal(opt.epsilon()), e.literal(opt.momentum()), scale);
            case "ADADELTA" -> CodeBlock.of("$L.adadeltaUpdate($L, $L, $L, 0, $L, $L, $L, $L, $L)", e.kernels(), head,
                state.get(0), state.get(1), n, lr, e.literal(opt.rho()), e.literal(opt.epsilon()), scale);
            default -> throw new IllegalStateException(opt.type());
          };
          return c.addStatement("$L", call).build();
        }));
  }

  /** The update rule in the javadoc of the step. */
  private static String rule(dev.nabla.processor.validation.OptimizerDecl o) {
    return switch (o.type()) {
      case "SGD" -> o.momentum() > 0
          ? (o.nesterov() ? "v = μv + g; p −= lr·(g + μv)" : "v = μv + g; p −= lr·v")
          : "p −= lr·g";
      case "ADAM" -> "m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; p −= lr·m̂ / (√v̂ + ε)";
      case "ADAMW" -> "p −= lr·λ·p (λ = " + o.weightDecay() + "); m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²;"
          + " p −= lr·m̂ / (√v̂ + ε)";
      case "ADAMAX" -> "m = β1·m + (1−β1)·g; u = max(β2·u, |g| + ε); p −= lr/(1−β1ᵗ)·m/u";
      case "NADAM" -> "μₜ = β1·(1 − ½·0.96^(t·ψ)); m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; d = √(v/(1−β2ᵗ)) + ε;"
          + " p −= lr·(1−μₜ)/(1−Πμ)·g/d + lr·μₜ₊₁/(1−Πμ·μₜ·μₜ₊₁)·m/d (as torch 1.13)";
      case "ADAGRAD" -> "s = s + g²; p −= lr·g / (√s + ε)";
      case "RMSPROP" -> "s = α·s + (1−α)·g²; "
          + (o.centered() ? "ḡ = α·ḡ + (1−α)·g; d = √(s − ḡ²) + ε; " : "d = √s + ε; ")
          + (o.momentum() > 0 ? "b = μ·b + g/d; p −= lr·b" : "p −= lr·g/d");
      case "ADADELTA" -> "s = ρ·s + (1−ρ)·g²; δ = √(u + ε)/√(s + ε)·g; u = ρ·u + (1−ρ)·δ²; p −= lr·δ";
      default -> o.type();
    };
  }

  private static String scheduleText(double lr, dev.nabla.processor.validation.ScheduleDecl s) {
    String base = switch (s.type()) {
      case "STEP" -> lr + "·" + s.gamma() + "^⌊t / " + s.stepSize() + "⌋ (StepLR)";
      case "EXPONENTIAL" -> lr + "·" + s.gamma() + "ᵗ (ExponentialLR)";
      case "CYCLIC" -> "triangular cycles between " + s.baseLr() + " and " + lr + ", " + s.stepSizeUp()
          + " steps up and as many down (CyclicLR)";
      case "COSINE" -> "cosine annealing from " + lr + " to " + s.minLr() + " over " + s.period()
          + " steps, restarting" + (s.periodMultiplier() > 1 ? " with cycles " + s.periodMultiplier() + "× longer each time" : "")
          + " (CosineAnnealingWarmRestarts)";
      default -> String.valueOf(lr);
    };
    return base + (s.warmupSteps() > 1 ? ", times (t + 1) / " + s.warmupSteps() + " for the first "
        + s.warmupSteps() + " steps (linear warm-up)" : "") + "; t = steps taken";
  }

  /** The learning rate at the current {@code steps}: the schedule's expression, or the constant. */
  public static CodeBlock learningRateCode(dev.nabla.processor.validation.OptimizerDecl opt) {
    return scheduleCode(opt.learningRate(), opt.schedule());
  }

  private static CodeBlock scheduleCode(double lr, dev.nabla.processor.validation.ScheduleDecl s) {
    CodeBlock base = switch (s.type()) {
      case "STEP" -> CodeBlock.of("$T.step($L, $L, $L, steps)", SCHEDULES, lr, s.gamma(), s.stepSize());
      case "EXPONENTIAL" -> CodeBlock.of("$T.exponential($L, $L, steps)", SCHEDULES, lr, s.gamma());
      case "CYCLIC" -> CodeBlock.of("$T.cyclic($L, $L, $L, steps)", SCHEDULES, s.baseLr(), lr, s.stepSizeUp());
      case "COSINE" -> CodeBlock.of("$T.cosineWarmRestarts($L, $L, $L, $L, steps)", SCHEDULES, lr, s.minLr(),
          s.period(), s.periodMultiplier());
      default -> CodeBlock.of("$L", lr);
    };
    return s.warmupSteps() > 1 ? CodeBlock.of("$T.warmup($L, $L, steps)", SCHEDULES, base, s.warmupSteps()) : base;
  }

  private abstract class Context implements NodeContext {
    final Node node;

    Context(Node node) {
      this.node = node;
    }

    @Override
    public Node node() {
      return node;
    }

    @Override
    public Buffer in(int slot) {
      return out.get(node.inputs().get(slot));
    }

    @Override
    public Buffer out() {
      return out.get(node.id());
    }

    public Buffer param(String suffix) {
      return paramByName.get(node.name() + "." + suffix).value();
    }
  }

  private final class Forward extends Context implements ForwardContext {
    Forward(Node node) {
      super(node);
    }

    @Override
    public Buffer pre() {
      return pre.get(node.id());
    }

    @Override
    public Buffer saveBuffer(String suffix, Shape shape) {
      Buffer b = buffer(node.name() + " " + suffix, Buffer.Region.ARENA, shape, false);
      saved.put(node.name() + "." + suffix, b);
      return b;
    }

    @Override
    public int kvCache(int perPosition) {
      int offset = cacheSize;
      cacheSize += perPosition * node.shape().dim(0);
      return offset;
    }

    @Override
    public void step(String what, List<Buffer> reads, List<Buffer> writes, boolean training, Renderer r) {
      steps.add(new Step(method(camel(node.name()) + "Forward"), node.name() + ": " + what, Step.Phase.FORWARD,
          reads, writes, training, r));
    }
  }

  private final class Backward extends Context implements BackwardContext {
    Backward(Node node) {
      super(node);
    }

    @Override
    public Buffer gradOut() {
      Buffer g = gradPre.get(node.id());
      return g != null ? g : grad.get(node.id());
    }

    @Override
    public Buffer paramGrad(String suffix) {
      return paramByName.get(node.name() + "." + suffix).grad();
    }

    @Override
    public Buffer saved(String suffix) {
      return Planner.this.saved.get(node.name() + "." + suffix);
    }

    @Override
    public boolean needsGrad(int slot) {
      return fusion.requiresGrad(graph.node(node.inputs().get(slot)));
    }

    @Override
    public Buffer gradIn(int slot) {
      return grad.get(node.inputs().get(slot));
    }

    private Graph.Consumer edge(int slot) {
      return new Graph.Consumer(node, slot);
    }

    @Override
    public boolean accumulate(int slot) {
      return !fusion.isFirst(graph.node(node.inputs().get(slot)), edge(slot));
    }

    @Override
    public ActivationFn fold(int slot) {
      return fusion.foldAt(graph.node(node.inputs().get(slot)), edge(slot));
    }

    @Override
    public double foldParam(int slot) {
      return fold(slot) == ActivationFn.NONE ? 0 : graph.node(node.inputs().get(slot)).op().activationParam();
    }

    @Override
    public Buffer foldSaved(int slot) {
      return savedFor(graph.node(node.inputs().get(slot)));
    }

    @Override
    public Buffer scratch(String label, Shape shape) {
      return buffer(node.name() + " " + label, Buffer.Region.ARENA, shape, false);
    }

    @Override
    public void step(String what, List<Buffer> reads, List<Buffer> writes, Renderer r) {
      steps.add(new Step(method(camel(node.name()) + "Backward"), node.name() + ": " + what, Step.Phase.BACKWARD,
          reads, writes, false, r));
    }
  }
}
