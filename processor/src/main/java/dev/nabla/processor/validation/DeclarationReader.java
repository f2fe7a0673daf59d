package dev.nabla.processor.validation;

import static dev.nabla.processor.base.Annotations.enumName;
import static dev.nabla.processor.base.Annotations.explicit;
import static dev.nabla.processor.base.Annotations.value;

import dev.nabla.processor.base.Annotations;
import dev.nabla.processor.base.Location;
import dev.nabla.processor.base.Message;
import dev.nabla.processor.base.Report;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.TypeElement;

/**
 * The validation stage: reads a {@code @Model} class (its class shape, input, loss, optimiser and
 * layers, with the blocks they use) into a {@link ModelDecl}, adding every mistake to the report.
 * Returns empty when the declaration is too broken to build a graph from.
 */
public final class DeclarationReader {
  public static final String MODEL = "dev.nabla.dsl.Model";
  static final String OPTIMIZER = "dev.nabla.dsl.Optimizer";

  private DeclarationReader() {}

  public static Optional<ModelDecl> read(TypeElement type, String generatedName, Report report) {
    AnnotationMirror model = Annotations.find(type, MODEL).orElseThrow();
    ClassValidator.validateModelClass(type, generatedName, report);

    List<InputDecl> inputs = new ArrayList<>();
    inputs.add(readShape("input", (AnnotationMirror) value(model, "input").getValue(), Location.of(type, model,
        value(model, "input")), type, model, report));
    inputs.addAll(readInputFields(type, report));
    if (inputs.size() > 1 && !inputs.get(0).tokens()) {
      report.error(Message.INPUT_DECLARATION, Location.of(type, model, value(model, "input")),
          "a model with @Input fields takes token sequences only; give @Model(input) a vocab (its inputs are laid out one after another per example)");
    }
    String loss = enumName(value(model, "loss"));
    double labelSmoothing = number(model, "labelSmoothing");
    if (explicit(model, "labelSmoothing").isPresent()) {
      if (!loss.equals("SOFTMAX_CROSS_ENTROPY")) {
        report.error(Message.LOSS_ATTRIBUTE_NOT_APPLICABLE, at(type, model, "labelSmoothing"), "labelSmoothing",
            loss, "SOFTMAX_CROSS_ENTROPY");
      } else {
        HyperParameters.unitInterval(labelSmoothing, "labelSmoothing", at(type, model, "labelSmoothing"), report);
      }
    }
    LinkedHashSet<String> precisions = new LinkedHashSet<>();
    for (AnnotationValue v : Annotations.list(value(model, "precision"))) precisions.add(enumName(v));

    OptimizerDecl optimizer = readOptimizer(type, report);
    NetworkDecl body = new LayerReader(report).read(type);
    if (report.hasErrors()) return Optional.empty();
    return Optional.of(new ModelDecl(type, model, inputs, loss, labelSmoothing, new ArrayList<>(precisions), optimizer, body));
  }

  private static InputDecl readShape(String name, AnnotationMirror shape, Location where, TypeElement type,
      AnnotationMirror owner, Report report) {
    List<? extends AnnotationValue> dimValues = Annotations.list(value(shape, "value"));
    int[] dims = new int[dimValues.size()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = ((Number) dimValues.get(i).getValue()).intValue();
      HyperParameters.positive(dims[i], name.equals("input") ? "input dimension " + i : "dimension " + i + " of '" + name + "'", where.withValue(dimValues.get(i)), report);
    }
    if (dims.length == 0) report.error(Message.NON_POSITIVE_SIZE, where,
        name.equals("input") ? "the number of input dimensions" : "the number of dimensions of '" + name + "'", 0);
    int vocab = ((Number) value(shape, "vocab").getValue()).intValue();
    Optional<AnnotationValue> vocabValue = explicit(shape, "vocab");
    if (vocabValue.isPresent()) {
      Location at = where.withValue(vocabValue.get());
      HyperParameters.positive(vocab, "vocab of '" + name + "'", at, report);
      if (dims.length != 1) {
        report.error(Message.INPUT_DECLARATION, at, "a token input is one sequence of ids; '" + name + "' has "
            + dims.length + " dimensions");
      }
    }
    return new InputDecl(name, dims, Math.max(vocab, 0), where);
  }

  private static final String INPUT = "dev.nabla.dsl.Input";
  private static final String TOKENS = "dev.nabla.dsl.Tokens";

  /** The {@code @Input} fields: further token inputs, in declaration order. */
  private static List<InputDecl> readInputFields(TypeElement type, Report report) {
    List<InputDecl> inputs = new ArrayList<>();
    for (var field : javax.lang.model.util.ElementFilter.fieldsIn(type.getEnclosedElements())) {
      Optional<AnnotationMirror> m = Annotations.find(field, INPUT);
      if (m.isEmpty()) continue;
      String name = field.getSimpleName().toString();
      Location at = Location.of(field, m.get());
      if (Annotations.find(field, LayerReader.LAYER).isPresent() || Annotations.find(field, LayerReader.ATTENTION).isPresent()) {
        report.error(Message.INPUT_DECLARATION, at, "'" + name + "' is an input; it cannot also be a layer");
        continue;
      }
      boolean tokensType = field.asType() instanceof javax.lang.model.type.DeclaredType d
          && ((TypeElement) d.asElement()).getQualifiedName().contentEquals(TOKENS);
      if (!tokensType || field.getModifiers().contains(javax.lang.model.element.Modifier.STATIC)) {
        report.error(Message.INPUT_DECLARATION, Location.of(field), "@Input field '" + name
            + "' must be a non-static field of type Tokens, was " + field.asType());
        continue;
      }
      if (name.equals("input")) {
        report.error(Message.RESERVED_NAME, at, name);
        continue;
      }
      AnnotationValue shapeValue = value(m.get(), "value");
      InputDecl in = readShape(name, (AnnotationMirror) shapeValue.getValue(), Location.of(field, m.get(), shapeValue),
          type, m.get(), report);
      if (!in.tokens()) {
        report.error(Message.INPUT_DECLARATION, Location.of(field, m.get(), shapeValue), "@Input '" + name
            + "' must be a token sequence: @Shape(value = T, vocab = V)");
        continue;
      }
      inputs.add(in);
    }
    return inputs;
  }

  /** The optimiser types each type-specific attribute applies to. */
  private static final Map<String, List<String>> APPLIES_TO = Map.ofEntries(
      Map.entry("momentum", List.of("SGD", "RMSPROP")),
      Map.entry("nesterov", List.of("SGD")),
      Map.entry("beta1", List.of("ADAM", "ADAMW", "ADAMAX", "NADAM")),
      Map.entry("beta2", List.of("ADAM", "ADAMW", "ADAMAX", "NADAM")),
      Map.entry("epsilon", List.of("ADAM", "ADAGRAD", "RMSPROP", "ADADELTA", "ADAMW", "ADAMAX", "NADAM")),
      Map.entry("alpha", List.of("RMSPROP")),
      Map.entry("centered", List.of("RMSPROP")),
      Map.entry("rho", List.of("ADADELTA")),
      Map.entry("initialAccumulator", List.of("ADAGRAD")),
      Map.entry("momentumDecay", List.of("NADAM")));

  /** The schedule types each type-specific {@code @Schedule} attribute applies to. */
  private static final Map<String, List<String>> SCHEDULE_APPLIES_TO = Map.ofEntries(
      Map.entry("stepSize", List.of("STEP")),
      Map.entry("gamma", List.of("STEP", "EXPONENTIAL")),
      Map.entry("baseLr", List.of("CYCLIC")),
      Map.entry("stepSizeUp", List.of("CYCLIC")),
      Map.entry("period", List.of("COSINE")),
      Map.entry("periodMultiplier", List.of("COSINE")),
      Map.entry("minLr", List.of("COSINE")));

  private static OptimizerDecl readOptimizer(TypeElement type, Report report) {
    Optional<AnnotationMirror> found = Annotations.find(type, OPTIMIZER);
    if (found.isEmpty()) return OptimizerDecl.DEFAULT;
    AnnotationMirror m = found.get();
    String kind = enumName(value(m, "type"));
    double lr = number(m, "learningRate");
    double momentum = number(m, "momentum");
    boolean nesterov = (Boolean) value(m, "nesterov").getValue();
    double beta1 = number(m, "beta1");
    double beta2 = number(m, "beta2");
    // torch's ε for the type unless written
    double epsilon = explicit(m, "epsilon").isPresent() ? number(m, "epsilon")
        : kind.equals("ADAGRAD") ? 1e-10 : kind.equals("ADADELTA") ? 1e-6 : number(m, "epsilon");
    double alpha = number(m, "alpha");
    boolean centered = (Boolean) value(m, "centered").getValue();
    double rho = number(m, "rho");
    double initialAccumulator = number(m, "initialAccumulator");
    // torch's default: 0.01 for AdamW, none for the coupled decay of the others
    double weightDecay = explicit(m, "weightDecay").isPresent() || kind.equals("ADAMW") ? number(m, "weightDecay") : 0;
    double momentumDecay = number(m, "momentumDecay");
    double clipNorm = number(m, "clipNorm");

    HyperParameters.positiveFinite(lr, "learningRate", at(type, m, "learningRate"), report);
    for (Map.Entry<String, List<String>> e : new java.util.TreeMap<>(APPLIES_TO).entrySet()) {
      if (!e.getValue().contains(kind) && explicit(m, e.getKey()).isPresent()) {
        report.error(Message.OPTIMIZER_ATTRIBUTE_NOT_APPLICABLE, at(type, m, e.getKey()), e.getKey(), kind,
            joined(e.getValue()));
      }
    }
    boolean usesMomentum = APPLIES_TO.get("momentum").contains(kind);
    if (usesMomentum) HyperParameters.unitInterval(momentum, "momentum", at(type, m, "momentum"), report);
    if (kind.equals("SGD") && nesterov && momentum == 0) {
      report.error(Message.NESTEROV_WITHOUT_MOMENTUM, at(type, m, "nesterov"));
    }
    if (APPLIES_TO.get("beta1").contains(kind)) {
      HyperParameters.unitInterval(beta1, "beta1", at(type, m, "beta1"), report);
      HyperParameters.unitInterval(beta2, "beta2", at(type, m, "beta2"), report);
    }
    if (!kind.equals("SGD")) HyperParameters.positiveFinite(epsilon, "epsilon", at(type, m, "epsilon"), report);
    switch (kind) {
      case "RMSPROP" -> HyperParameters.unitInterval(alpha, "alpha", at(type, m, "alpha"), report);
      case "ADADELTA" -> HyperParameters.unitInterval(rho, "rho", at(type, m, "rho"), report);
      case "ADAGRAD" -> HyperParameters.nonNegativeFinite(initialAccumulator, "initialAccumulator",
          at(type, m, "initialAccumulator"), report);
      case "NADAM" -> HyperParameters.nonNegativeFinite(momentumDecay, "momentumDecay",
          at(type, m, "momentumDecay"), report);
      default -> { }
    }
    HyperParameters.nonNegativeFinite(weightDecay, "weightDecay", at(type, m, "weightDecay"), report);
    if (clipNorm != 0) HyperParameters.positiveFinite(clipNorm, "clipNorm (0 for none)", at(type, m, "clipNorm"), report);
    ScheduleDecl schedule = readSchedule(type, (AnnotationMirror) value(m, "schedule").getValue(), lr, report);
    return new OptimizerDecl(kind, lr, momentum, nesterov, beta1, beta2, epsilon, alpha, centered, rho,
        initialAccumulator, weightDecay, momentumDecay, clipNorm, schedule);
  }

  private static ScheduleDecl readSchedule(TypeElement type, AnnotationMirror s, double lr, Report report) {
    String kind = enumName(value(s, "type"));
    int stepSize = integer(s, "stepSize");
    double gamma = number(s, "gamma");
    double baseLr = number(s, "baseLr");
    int stepSizeUp = integer(s, "stepSizeUp");
    int period = integer(s, "period");
    int periodMultiplier = integer(s, "periodMultiplier");
    double minLr = number(s, "minLr");
    int warmupSteps = integer(s, "warmupSteps");
    for (Map.Entry<String, List<String>> e : new java.util.TreeMap<>(SCHEDULE_APPLIES_TO).entrySet()) {
      if (!e.getValue().contains(kind) && explicit(s, e.getKey()).isPresent()) {
        report.error(Message.SCHEDULE_ATTRIBUTE_NOT_APPLICABLE, at(type, s, e.getKey()), e.getKey(), kind,
            joined(e.getValue()));
      }
    }
    switch (kind) {
      case "STEP" -> {
        HyperParameters.positive(stepSize, "stepSize", at(type, s, "stepSize"), report);
        HyperParameters.decayFactor(gamma, "gamma", at(type, s, "gamma"), report);
      }
      case "EXPONENTIAL" -> HyperParameters.decayFactor(gamma, "gamma", at(type, s, "gamma"), report);
      case "CYCLIC" -> {
        HyperParameters.belowLearningRate(baseLr, "baseLr", lr, at(type, s, "baseLr"), report);
        HyperParameters.positive(stepSizeUp, "stepSizeUp", at(type, s, "stepSizeUp"), report);
      }
      case "COSINE" -> {
        HyperParameters.positive(period, "period", at(type, s, "period"), report);
        HyperParameters.atLeastOne(periodMultiplier, "periodMultiplier", at(type, s, "periodMultiplier"), report);
        HyperParameters.belowLearningRate(minLr, "minLr", lr, at(type, s, "minLr"), report);
      }
      default -> { }
    }
    if (warmupSteps < 0) {
      report.error(Message.BAD_HYPER_PARAMETER, at(type, s, "warmupSteps"), "warmupSteps", "0 or more",
          warmupSteps);
    }
    return new ScheduleDecl(kind, stepSize, gamma, baseLr, stepSizeUp, period, periodMultiplier, minLr, warmupSteps);
  }

  /** "ADAM", "SGD and RMSPROP", "ADAM, ADAMW and NADAM". */
  private static String joined(List<String> types) {
    if (types.size() == 1) return types.get(0);
    return String.join(", ", types.subList(0, types.size() - 1)) + " and " + types.get(types.size() - 1);
  }

  private static int integer(AnnotationMirror m, String attribute) {
    return ((Number) value(m, attribute).getValue()).intValue();
  }

  private static double number(AnnotationMirror m, String attribute) {
    return ((Number) value(m, attribute).getValue()).doubleValue();
  }

  private static Location at(TypeElement type, AnnotationMirror m, String attribute) {
    return Location.of(type, m, explicit(m, attribute).orElse(null));
  }
}
