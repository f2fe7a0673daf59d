package dev.nabla.processor.writing;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.nabla.processor.plan.Buffer;
import dev.nabla.processor.plan.ParamSlot;
import dev.nabla.processor.plan.Plan;
import dev.nabla.processor.plan.Planner;
import dev.nabla.processor.plan.Step;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/**
 * The writing stage: one final class per precision, {@code <Name>Model} (float, SIMD kernels) and
 * optionally {@code <Name>ModelF64}. Each planned step becomes one private method whose comments
 * give every buffer's shape and place; the public methods call the steps in order.
 */
public final class ModelWriter {
  static final String PROCESSOR = "dev.nabla.processor.NablaProcessor";
  private static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");
  private static final ClassName KERNELS = ClassName.get(Precision.RUNTIME + ".kernel", "Kernels");
  private static final ClassName RNG = ClassName.get(Precision.RUNTIME, "Rng");
  private static final ClassName INITIALIZER = ClassName.get(Precision.RUNTIME, "Initializer");
  private static final ClassName SPEC = ClassName.get(Precision.RUNTIME, "ParameterSpec");
  private static final ClassName LANGUAGE_MODEL = ClassName.get(Precision.RUNTIME + ".text", "LanguageModel");

  private final Plan plan;
  private final TypeElement userType;
  private final Precision precision;
  private final ClassName self;
  private final CodeEmit emit;
  private final CodeEmit decodeEmit;
  private final java.util.Map<String, CodeBlock> constants = new java.util.TreeMap<>();
  private final boolean decoder;
  private final int inputSize;
  private final int outputSize;

  private ModelWriter(Plan plan, TypeElement userType, Precision precision, String packageName) {
    this.plan = plan;
    this.userType = userType;
    this.precision = precision;
    this.self = ClassName.get(packageName, generatedName(userType, precision));
    this.emit = new CodeEmit(plan.memory(), precision, plan.classifier(), false, constants);
    this.decodeEmit = new CodeEmit(plan.memory(), precision, plan.classifier(), true, constants);
    this.decoder = plan.decodable() && precision == Precision.F32;
    this.inputSize = plan.inputSize();
    this.outputSize = plan.graph().output().shape().size();
  }

  /** {@code DigitNetModel}, {@code DigitNetModelF64}; nested classes join their outer names with '_'. */
  public static String generatedName(TypeElement type, String precisionName) {
    return generatedName(type, Precision.valueOf(precisionName));
  }

  static String generatedName(TypeElement type, Precision p) {
    StringBuilder name = new StringBuilder(type.getSimpleName());
    for (var e = type.getEnclosingElement(); e instanceof TypeElement t; e = t.getEnclosingElement()) {
      name.insert(0, t.getSimpleName() + "_");
    }
    return name + "Model" + p.classSuffix;
  }

  public static JavaFile write(Plan plan, TypeElement userType, String precision, String packageName) {
    return new ModelWriter(plan, userType, Precision.valueOf(precision), packageName).file();
  }

  private JavaFile file() {
    TypeSpec.Builder type = TypeSpec.classBuilder(self)
        .addOriginatingElement(userType)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .superclass(TypeName.get(userType.asType()))
        .addSuperinterface(precision.networkType);
    if (decoder) type.addSuperinterface(LANGUAGE_MODEL);
    type
        .addAnnotation(AnnotationSpec.builder(GENERATED).addMember("value", "$S", PROCESSOR).build())
        .addJavadoc(classDoc());
    constants(type);
    fields(type);
    type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE)
        .addParameter(long.class, "seed").addStatement("this.seed = seed").build());
    type.addMethod(create());
    accessors(type);
    publicSteps(type);
    if (decoder) decodePath(type);
    for (Step s : plan.steps()) type.addMethod(stepMethod(s, emit, false));
    if (decoder) {
      for (Step s : plan.steps(Step.Phase.FORWARD)) type.addMethod(stepMethod(s, decodeEmit, true));
    }
    for (var c : constants.entrySet()) {
      type.addField(FieldSpec.builder(precision.array, c.getKey(), Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .initializer("$L", c.getValue()).build());
    }
    return JavaFile.builder(self.packageName(), type.build())
        .skipJavaLangImports(true).indent("  ").build();
  }

  private String classDoc() {
    StringBuilder d = new StringBuilder();
    d.append("The network declared by {@link ").append(userType.getSimpleName()).append("}, in ")
        .append(precision == Precision.F32 ? "float with the SIMD kernels" : "double precision (the numerical reference)")
        .append(".\nGenerated by the Nabla annotation processor: do not edit.\n\n");
    d.append(SummaryTable.render(plan, precision == Precision.F32 ? 4 : 8));
    var opt = plan.optimizer();
    d.append("\n<p>Loss: ").append(plan.loss()).append(". Optimiser: ").append(opt.displayName())
        .append(", learning rate ").append(opt.learningRate());
    switch (opt.type()) {
      case "ADAM", "ADAMW", "ADAMAX", "NADAM" -> d.append(", β1 ").append(opt.beta1()).append(", β2 ")
          .append(opt.beta2()).append(", ε ").append(opt.epsilon());
      case "ADAGRAD", "ADADELTA" -> d.append(", ε ").append(opt.epsilon());
      case "RMSPROP" -> d.append(", α ").append(opt.alpha()).append(", ε ").append(opt.epsilon());
      default -> { }
    }
    if (opt.momentum() > 0) d.append(", momentum ").append(opt.momentum()).append(opt.nesterov() ? " (Nesterov)" : "");
    if (opt.type().equals("RMSPROP") && opt.centered()) d.append(", centred");
    if (opt.type().equals("ADADELTA")) d.append(", ρ ").append(opt.rho());
    if (opt.type().equals("ADAMW")) d.append(", weight decay ").append(opt.weightDecay());
    if (opt.type().equals("NADAM")) d.append(", momentum decay ").append(opt.momentumDecay());
    if (opt.schedule().varies()) d.append(", schedule ").append(opt.schedule().type())
        .append(opt.schedule().warmupSteps() > 1 ? " with " + opt.schedule().warmupSteps() + " warm-up steps" : "");
    if (opt.clipNorm() > 0) d.append(", gradients clipped to global norm ").append(opt.clipNorm());
    d.append(".\n\n<p>Fused:\n<ul>\n");
    for (String f : plan.fusions()) d.append("<li>").append(f).append("\n");
    d.append("<li>every dense layer: matmul, bias and activation in one pass over each output tile\n");
    d.append("<li>the optimiser update: one pass over all parameters\n</ul>\n");
    return d.toString().replace("$", "$$");
  }

  private void constants(TypeSpec.Builder type) {
    type.addField(constant("INPUT_SIZE", inputSize, inputDoc()));
    type.addField(constant("OUTPUT_SIZE", outputSize, "Outputs per example: output shape "
        + plan.graph().output().shape() + "."));
    type.addField(constant("PARAMETER_COUNT", plan.parameterCount(), "Weights and biases, all in one flat array."));
    type.addField(constant("WORK_PER_EXAMPLE", plan.memory().perExample(),
        "Work-arena elements per example, from the memory plan."));
    type.addField(FieldSpec.builder(precision.kernelsType, "K", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .initializer("$T.$L", KERNELS, precision.kernelsField).build());
    CodeBlock.Builder specs = CodeBlock.builder().add("$T.of(", List.class);
    for (int i = 0; i < plan.params().size(); i++) {
      ParamSlot p = plan.params().get(i);
      int[] dims = p.tensor().dims();
      StringBuilder d = new StringBuilder();
      for (int k = 0; k < dims.length; k++) d.append(k == 0 ? "" : ", ").append(dims[k]);
      specs.add("$L\n    new $T($S, new int[] {$L}, $L)", i == 0 ? "" : ",", SPEC, p.name(), d, p.offset());
    }
    specs.add(")");
    type.addField(FieldSpec.builder(ParameterizedTypeName.get(ClassName.get(List.class), SPEC), "PARAMETER_SPECS",
        Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL).initializer(specs.build()).build());
  }

  private String inputDoc() {
    var inputs = plan.graph().inputs();
    if (inputs.size() == 1) {
      return (inputs.get(0).shape().isTokens() ? "Token ids per example: " : "Features per example: ")
          + "input shape " + inputs.get(0).shape() + ".";
    }
    StringBuilder d = new StringBuilder("Values per example: the inputs one after another, ");
    for (int i = 0; i < inputs.size(); i++) {
      d.append(i == 0 ? "" : ", then ").append(inputs.get(i).name()).append(' ').append(inputs.get(i).shape());
    }
    return d.append('.').toString();
  }

  /** Labels per example: one, or one per position of a sequence output. */
  private int labelsPerExample() {
    return plan.graph().output().shape().rowsPerExample();
  }

  private static FieldSpec constant(String name, int value, String doc) {
    return FieldSpec.builder(int.class, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .initializer("$L", value).addJavadoc(doc).build();
  }

  private void fields(TypeSpec.Builder type) {
    type.addField(FieldSpec.builder(precision.array, Planner.PARAMS, Modifier.PRIVATE, Modifier.FINAL)
        .initializer("new $T[PARAMETER_COUNT]", precision.element).build());
    type.addField(FieldSpec.builder(precision.array, Planner.GRADS, Modifier.PRIVATE, Modifier.FINAL)
        .initializer("new $T[PARAMETER_COUNT]", precision.element).build());
    for (var state : plan.optimizer().state()) {
      type.addField(FieldSpec.builder(precision.array, state.field(), Modifier.PRIVATE, Modifier.FINAL)
          .initializer("new $T[PARAMETER_COUNT]", precision.element).addJavadoc("$L", state.doc()).build());
    }
    if (plan.optimizer().type().equals("NADAM")) {
      type.addField(FieldSpec.builder(double.class, "muProduct", Modifier.PRIVATE).initializer("1")
          .addJavadoc("NAdam's product of the momentum coefficients μ₁·…·μₜ so far.").build());
    }
    type.addField(FieldSpec.builder(long.class, "seed", Modifier.PRIVATE)
        .addJavadoc("Seeds the weights and, with the step number, every dropout mask; restored from a checkpoint.").build());
    type.addField(FieldSpec.builder(long.class, "steps", Modifier.PRIVATE)
        .addJavadoc("Optimiser steps taken; with the seed it determines every random draw.").build());
    type.addField(FieldSpec.builder(precision.array, "work", Modifier.PRIVATE)
        .initializer("new $T[0]", precision.element)
        .addJavadoc("The planned arena: activations and gradients of {@code capacity} examples.").build());
    type.addField(FieldSpec.builder(int.class, "capacity", Modifier.PRIVATE).build());
    type.addField(FieldSpec.builder(long.class, "weightsVersion", Modifier.PRIVATE)
        .addJavadoc("Bumped whenever the weights may change: an optimiser step, or handing out {@code params}.\n").build());
    type.addField(FieldSpec.builder(long.class, "packVersion", Modifier.PRIVATE).initializer("-1")
        .addJavadoc("The weights version forward matmuls pass: the current one in predictions (packed weights may\n"
            + "be reused), −1 in training.\n").build());
    type.addField(FieldSpec.builder(int.class, "lastBatch", Modifier.PRIVATE).build());
    type.addField(FieldSpec.builder(boolean.class, "divergenceCheck", Modifier.PRIVATE)
        .addJavadoc("Whether training steps check each output and gradient for NaN and Inf.\n").build());
  }

  private MethodSpec create() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("create").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(self).addParameter(long.class, "seed")
        .addJavadoc("A new model whose weights are drawn from {@code seed} (the same seed gives the same weights\n"
            + "in every precision); biases start at zero.\n")
        .addStatement("$T m = new $T(seed)", self, self)
        .addStatement("$T rng = new $T(seed)", RNG, RNG);
    if (plan.optimizer().type().equals("ADAGRAD") && plan.optimizer().initialAccumulator() != 0) {
      m.addStatement("$T.fill(m.accumulator, $L)", java.util.Arrays.class,
          precision.literal(plan.optimizer().initialAccumulator()));
    }
    for (ParamSlot p : plan.params()) {
      if (p.tensor().init().equals("ZERO")) continue;
      m.addComment("$L $L", p.name(), p.tensor().shapeText());
      m.addStatement("$T.fill(m.params, $L, $L, $T.$L, $L, $L, rng)", INITIALIZER, p.offset(),
          p.tensor().size(), INITIALIZER, p.tensor().init(), p.tensor().fanIn(), p.tensor().fanOut());
    }
    return m.addStatement("return m").build();
  }

  private void accessors(TypeSpec.Builder type) {
    type.addMethod(getter("name", ClassName.get(String.class), CodeBlock.of("$S", userType.getSimpleName())));
    type.addMethod(getter("inputSize", TypeName.INT, CodeBlock.of("INPUT_SIZE")));
    type.addMethod(getter("outputSize", TypeName.INT, CodeBlock.of("OUTPUT_SIZE")));
    type.addMethod(getter("classifier", TypeName.BOOLEAN, CodeBlock.of("$L", plan.classifier())));
    type.addMethod(MethodSpec.methodBuilder("parameters").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .returns(precision.array)
        .addJavadoc("The live weights; the caller may write them, so kept packed copies are dropped.\n")
        .addStatement("weightsVersion++").addStatement("return params").build());
    type.addMethod(getter("gradients", precision.array, CodeBlock.of("grads")));
    type.addMethod(getter("parameterSpecs", ParameterizedTypeName.get(ClassName.get(List.class), SPEC),
        CodeBlock.of("PARAMETER_SPECS")));
    type.addMethod(MethodSpec.methodBuilder("learningRate").addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC).returns(double.class)
        .addJavadoc("The learning rate of the next optimiser step (the schedule at the current step).\n")
        .addStatement("return $L", Planner.learningRateCode(plan.optimizer())).build());
    type.addMethod(getter("outputs", precision.array, CodeBlock.of("work")));
    type.addMethod(getter("outputsOffset", TypeName.INT,
        CodeBlock.of("$L", emit.offset(plan.trainingOutputs(), 0).replace("B", "lastBatch"))));
    trainingState(type);
  }

  /** The training state a checkpoint saves: seed, step counter, optimiser buffers and scalars. */
  private void trainingState(TypeSpec.Builder type) {
    type.addMethod(getter("seed", TypeName.LONG, CodeBlock.of("seed")));
    type.addMethod(getter("steps", TypeName.LONG, CodeBlock.of("steps")));
    type.addMethod(MethodSpec.methodBuilder("restoreTrainingPosition").addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC).addParameter(long.class, "seed").addParameter(long.class, "steps")
        .beginControlFlow("if (steps < 0)")
        .addStatement("throw new $T($S + steps)", IllegalArgumentException.class, "steps must be >= 0, was ")
        .endControlFlow()
        .addStatement("this.seed = seed").addStatement("this.steps = steps").addStatement("weightsVersion++").build());
    CodeBlock.Builder buffers = CodeBlock.builder().add("$T.of(", java.util.Map.class);
    var state = plan.optimizer().state();
    for (int i = 0; i < state.size(); i++) {
      buffers.add("$L$S, $L", i == 0 ? "" : ", ", state.get(i).field(), state.get(i).field());
    }
    buffers.add(")");
    type.addMethod(getter("trainingState", ParameterizedTypeName.get(ClassName.get(java.util.Map.class),
        ClassName.get(String.class), precision.array), buffers.build()));
    if (plan.optimizer().type().equals("NADAM")) {
      type.addMethod(getter("trainingScalars", ParameterizedTypeName.get(ClassName.get(java.util.Map.class),
          ClassName.get(String.class), ClassName.get(Double.class)), CodeBlock.of("$T.of($S, muProduct)", java.util.Map.class, "muProduct")));
      type.addMethod(MethodSpec.methodBuilder("restoreTrainingScalar").addAnnotation(Override.class)
          .addModifiers(Modifier.PUBLIC).addParameter(String.class, "name").addParameter(double.class, "value")
          .beginControlFlow("if (!name.equals($S))", "muProduct")
          .addStatement("throw new $T($S + name)", IllegalArgumentException.class, "no training scalar ")
          .endControlFlow()
          .addStatement("muProduct = value").build());
    }
  }

  private static MethodSpec getter(String name, TypeName type, CodeBlock value) {
    return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .returns(type).addStatement("return $L", value).build();
  }

  private void publicSteps(TypeSpec.Builder type) {
    TypeName targets = plan.classifier() ? TypeName.INT : precision.element;
    TypeName otherTargets = plan.classifier() ? precision.element : TypeName.INT;
    String targetName = plan.classifier() ? "labels" : "targets";
    String wrong = plan.classifier()
        ? userType.getSimpleName() + " is trained with SOFTMAX_CROSS_ENTROPY: pass int class labels"
        : userType.getSimpleName() + " is trained with " + plan.loss() + ": pass real-valued targets";

    MethodSpec.Builder grads = MethodSpec.methodBuilder("computeGradients").addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC).returns(precision.element)
        .addParameter(precision.array, "x").addParameter(com.palantir.javapoet.ArrayTypeName.of(targets), targetName)
        .addParameter(int.class, "batch")
        .addStatement("prepare(x, batch)")
        .addStatement("packVersion = -1")
        .addStatement("checkLength($S, $L.length, $L)", targetName, targetName,
            plan.classifier() ? (labelsPerExample() == 1 ? "batch" : "batch * " + labelsPerExample()) : "batch * OUTPUT_SIZE")
        .addStatement("int B = batch");
    for (Step s : plan.steps(Step.Phase.FORWARD)) {
      grads.addStatement("$L", call(s, "true"));
      checks(grads, s);
    }
    Step loss = plan.steps(Step.Phase.LOSS).get(0);
    grads.addStatement("$T loss = $L", precision.element, call(loss, "true"));
    grads.beginControlFlow("if (divergenceCheck && !$T.isFinite(loss))", precision == Precision.F64 ? Double.class : Float.class)
        .addStatement("throw new $T(steps, $S, $S)", DIVERGENCE, "", "loss").endControlFlow();
    checks(grads, loss);
    for (Step s : plan.steps(Step.Phase.BACKWARD)) {
      grads.addStatement("$L", call(s, "true"));
      checks(grads, s);
    }
    type.addMethod(grads.addStatement("return loss").build());

    type.addMethod(MethodSpec.methodBuilder("setDivergenceCheck").addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC).addParameter(boolean.class, "on")
        .addStatement("divergenceCheck = on").build());
    type.addMethod(MethodSpec.methodBuilder("check").addModifiers(Modifier.PRIVATE)
        .addJavadoc("The divergence check of one buffer, right after a step wrote it.\n")
        .addParameter(precision.array, "a").addParameter(int.class, "off").addParameter(int.class, "len")
        .addParameter(String.class, "layer").addParameter(String.class, "what")
        .addStatement("$T.check(a, off, len, steps, layer, what)", FINITE).build());

    type.addMethod(unsupported("computeGradients", otherTargets, targetName, wrong, true));

    MethodSpec.Builder train = MethodSpec.methodBuilder("trainStep").addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC).returns(precision.element)
        .addParameter(precision.array, "x").addParameter(com.palantir.javapoet.ArrayTypeName.of(targets), targetName)
        .addParameter(int.class, "batch")
        .addStatement("$T loss = computeGradients(x, $L, batch)", precision.element, targetName);
    for (Step s : plan.steps(Step.Phase.UPDATE)) train.addStatement("$L", call(s, "true"));
    type.addMethod(train.addStatement("steps++").addStatement("weightsVersion++").addStatement("return loss").build());
    type.addMethod(unsupported("trainStep", otherTargets, targetName, wrong, true));

    MethodSpec.Builder predict = MethodSpec.methodBuilder("predict").addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC).addParameter(precision.array, "x").addParameter(int.class, "batch")
        .addParameter(precision.array, "out")
        .addStatement("prepare(x, batch)")
        .addStatement("packVersion = weightsVersion")
        .addStatement("checkLength($S, out.length, batch * OUTPUT_SIZE)", "out")
        .addStatement("int B = batch");
    for (Step s : plan.steps(Step.Phase.FORWARD)) predict.addStatement("$L", call(s, "false"));
    Buffer o = plan.predictOutput();
    if (plan.classifier()) {
      predict.addComment("class probabilities");
      predict.addStatement("K.activationForward(out, 0, $L, $L, $L, $L, $L)", emit.ref(o), emit.rows(o),
          o.shape().features() == outputSize ? "OUTPUT_SIZE" : o.shape().features(),
          emit.act(dev.nabla.processor.ops.ActivationFn.SOFTMAX), precision.literal(1));
    } else if (plan.loss().equals("BINARY_CROSS_ENTROPY")) {
      predict.addComment("sigmoid probabilities");
      predict.addStatement("K.activationForward(out, 0, $L, $L, $L, $L, $L)", emit.ref(o), emit.rows(o),
          o.shape().features() == outputSize ? "OUTPUT_SIZE" : o.shape().features(),
          emit.act(dev.nabla.processor.ops.ActivationFn.SIGMOID), precision.literal(0));
    } else {
      predict.addStatement("$T.arraycopy($L, out, 0, B * OUTPUT_SIZE)", System.class, emit.ref(o));
    }
    type.addMethod(predict.build());

    if (plan.classifier()) {
      MethodSpec.Builder lossMethod = MethodSpec.methodBuilder("loss").addAnnotation(Override.class)
          .addModifiers(Modifier.PUBLIC).returns(precision.element)
          .addParameter(precision.array, "x").addParameter(int[].class, "labels").addParameter(int.class, "batch")
          .addJavadoc("The mean loss on a batch at inference (dropout off), without a backward pass.\n")
          .addStatement("prepare(x, batch)")
          .addStatement("packVersion = weightsVersion")
          .addStatement("checkLength($S, labels.length, $L)", "labels",
              labelsPerExample() == 1 ? "batch" : "batch * " + labelsPerExample())
          .addStatement("int B = batch");
      for (Step s : plan.steps(Step.Phase.FORWARD)) lossMethod.addStatement("$L", call(s, "false"));
      type.addMethod(lossMethod.addStatement("return $L", call(loss(), "false")).build());
    }

    type.addMethod(MethodSpec.methodBuilder("prepare").addModifiers(Modifier.PRIVATE)
        .addParameter(precision.array, "x").addParameter(int.class, "batch")
        .beginControlFlow("if (batch < 1)")
        .addStatement("throw new $T($S + batch)", IllegalArgumentException.class, "batch must be at least 1, was ")
        .endControlFlow()
        .addStatement("checkLength($S, x.length, batch * INPUT_SIZE)", "x")
        .beginControlFlow("if (batch > capacity)")
        .addComment("grows once per larger batch size; steps at a known size allocate nothing")
        .addStatement("work = new $T[batch * WORK_PER_EXAMPLE]", precision.element)
        .addStatement("capacity = batch")
        .endControlFlow()
        .addStatement("lastBatch = batch")
        .build());
    type.addMethod(MethodSpec.methodBuilder("checkLength").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addParameter(String.class, "what").addParameter(int.class, "actual").addParameter(int.class, "needed")
        .beginControlFlow("if (actual < needed)")
        .addStatement("throw new $T($S + what + $S + needed + $S + actual)", IllegalArgumentException.class,
            userType.getSimpleName() + ": ", " needs at least ", " values for this batch, has ")
        .endControlFlow()
        .build());
  }

  /**
   * The KV-cache decode path of a next-token model: {@code decode} runs every forward step on one
   * position, in a one-position arena, with each attention reading and extending its slice of the
   * cache.
   */
  private void decodePath(TypeSpec.Builder type) {
    int context = plan.graph().input().shape().dim(0);
    int vocab = plan.graph().output().shape().features();
    type.addField(constant("CONTEXT", context, "Positions the model attends over: its input length."));
    type.addField(constant("KV_CACHE_SIZE", plan.kvCacheSize(),
        "Keys and values of every attention layer for CONTEXT positions."));
    type.addField(FieldSpec.builder(precision.array, "decodeWork", Modifier.PRIVATE)
        .addJavadoc("The arena of the decode path: one position of every buffer; allocated on first use.\n").build());
    type.addField(FieldSpec.builder(precision.array, "kvCache", Modifier.PRIVATE)
        .addJavadoc("Per attention layer, (CONTEXT, 2·C): each cached position's key then value.\n").build());
    type.addField(FieldSpec.builder(precision.array, "decodeToken", Modifier.PRIVATE, Modifier.FINAL)
        .initializer("new $T[1]", precision.element).build());
    type.addField(FieldSpec.builder(int.class, "position", Modifier.PRIVATE)
        .addJavadoc("Positions in the KV cache: where the next decoded token goes.\n").build());
    type.addMethod(getter("contextLength", TypeName.INT, CodeBlock.of("CONTEXT")));
    type.addMethod(getter("vocabularySize", TypeName.INT, CodeBlock.of("$L", vocab)));
    type.addMethod(getter("cachedTokens", TypeName.INT, CodeBlock.of("position")));
    type.addMethod(MethodSpec.methodBuilder("resetCache").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .addStatement("position = 0").build());
    MethodSpec.Builder m = MethodSpec.methodBuilder("decode").addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC).addParameter(int.class, "token").addParameter(float[].class, "logits")
        .beginControlFlow("if (position >= CONTEXT)")
        .addStatement("throw new $T($S + CONTEXT + $S)", IllegalStateException.class,
            userType.getSimpleName() + ": the KV cache holds all ", " positions; call resetCache() first")
        .endControlFlow()
        .beginControlFlow("if (token < 0 || token >= $L)", vocab)
        .addStatement("throw new $T($S + token)", IllegalArgumentException.class,
            userType.getSimpleName() + ": token must be in [0, " + vocab + "), was ")
        .endControlFlow()
        .addStatement("checkLength($S, logits.length, $L)", "logits", vocab)
        .beginControlFlow("if (decodeWork == null)")
        .addStatement("decodeWork = new $T[WORK_PER_EXAMPLE]", precision.element)
        .addStatement("kvCache = new $T[KV_CACHE_SIZE]", precision.element)
        .endControlFlow()
        .addStatement("decodeToken[0] = token")
        .addStatement("float[] x = decodeToken")
        .addStatement("int B = 1");
    for (Step s : plan.steps(Step.Phase.FORWARD)) {
      List<String> args = new ArrayList<>();
      for (String p : parameterNames(s, true)) args.add(p.equals("training") ? "false" : p);
      m.addStatement("$L($L)", s.method() + "Decode", String.join(", ", args));
    }
    m.addStatement("$T.arraycopy($L, logits, 0, $L)", System.class, decodeEmit.ref(plan.predictOutput()), vocab)
        .addStatement("position++");
    type.addMethod(m.addJavadoc("Feeds one token at the next position of the KV cache; writes the next token's logits.\n")
        .build());
  }

  private MethodSpec unsupported(String name, TypeName targets, String unused, String message, boolean returns) {
    return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .returns(precision.element).addParameter(precision.array, "x")
        .addParameter(com.palantir.javapoet.ArrayTypeName.of(targets), targets == TypeName.INT ? "labels" : "targets")
        .addParameter(int.class, "batch")
        .addStatement("throw new $T($S)", UnsupportedOperationException.class, message).build();
  }

  private static final ClassName FINITE = ClassName.get("dev.nabla.runtime", "Finite");
  private static final ClassName DIVERGENCE = ClassName.get("dev.nabla.runtime", "DivergenceException");

  /** With the divergence check on, a scan of each layer output or gradient the step wrote. */
  private void checks(MethodSpec.Builder m, Step s) {
    List<CodeBlock> lines = new ArrayList<>();
    for (Buffer b : new LinkedHashSet<>(s.writes())) {
      dev.nabla.processor.plan.Plan.Check c = plan.checks().get(b.id());
      if (c == null) continue;
      CodeBlock len = b.perExample() ? emit.length(b) : CodeBlock.of("$L", b.shape().size());
      lines.add(CodeBlock.of("check($L, $L, $S, $S)", emit.ref(b), len, c.layer(), c.what()));
    }
    if (lines.isEmpty()) return;
    m.beginControlFlow("if (divergenceCheck)");
    for (CodeBlock l : lines) m.addStatement("$L", l);
    m.endControlFlow();
  }

  private Step loss() {
    return plan.steps(Step.Phase.LOSS).get(0);
  }

  /** The call of a step method from a public method. */
  private CodeBlock call(Step s, String training) {
    List<String> args = new ArrayList<>();
    for (String p : parameterNames(s)) {
      args.add(p.equals("training") ? training : p);
    }
    return CodeBlock.of("$L($L)", s.method(), String.join(", ", args));
  }

  private Set<String> parameterNames(Step s) {
    return parameterNames(s, false);
  }

  private Set<String> parameterNames(Step s, boolean decode) {
    Set<String> names = new LinkedHashSet<>();
    List<Buffer> all = new ArrayList<>(s.reads());
    all.addAll(s.writes());
    for (Buffer b : all) if (b.region() == Buffer.Region.INPUT) names.add("x");
    for (Buffer b : all) if (b.region() == Buffer.Region.TARGET) names.add(emit.array(b));
    if (s.phase() != Step.Phase.UPDATE) names.add("B");
    if (s.training()) names.add("training");
    if (decode) names.add("position");
    return names;
  }

  private MethodSpec stepMethod(Step s, CodeEmit emit, boolean decode) {
    MethodSpec.Builder m = MethodSpec.methodBuilder(s.method() + (decode ? "Decode" : "")).addModifiers(Modifier.PRIVATE)
        .addJavadoc("$L\n", (decode ? "One position, reading and extending the KV cache: " : "")
            + s.summary().replace("$", "$$"));
    for (String p : parameterNames(s, decode)) {
      switch (p) {
        case "x" -> m.addParameter(precision.array, "x");
        case "labels" -> m.addParameter(int[].class, "labels");
        case "targets" -> m.addParameter(precision.array, "targets");
        case "B" -> m.addParameter(int.class, "B");
        case "training" -> m.addParameter(boolean.class, "training");
        case "position" -> m.addParameter(int.class, "position");
        default -> throw new IllegalStateException(p);
      }
    }
    if (s.phase() == Step.Phase.LOSS) m.returns(precision.element);
    m.addCode(legend(s, emit, decode));
    m.addCode(s.renderer().render(emit));
    return m.build();
  }

  /** One comment line per buffer: what it holds, its shape, where it lives. */
  private CodeBlock legend(Step s, CodeEmit emit, boolean decode) {
    CodeBlock.Builder c = CodeBlock.builder();
    List<String[]> lines = new ArrayList<>();
    for (Buffer b : new LinkedHashSet<>(s.reads())) lines.add(line("in ", b, emit, decode));
    for (Buffer b : new LinkedHashSet<>(s.writes())) lines.add(line("out", b, emit, decode));
    int w1 = 0, w2 = 0;
    for (String[] l : lines) {
      w1 = Math.max(w1, l[1].length());
      w2 = Math.max(w2, l[2].length());
    }
    for (String[] l : lines) {
      c.add("// $L $L  $L  $L\n", l[0], pad(l[1], w1), pad(l[2], w2), l[3]);
    }
    return c.build();
  }

  private String[] line(String dir, Buffer b, CodeEmit emit, boolean decode) {
    String where = emit.array(b) + "[" + emit.offset(b, 0) + "]";
    if (b.region() == Buffer.Region.INPUT && decode) where = "x[0]";
    else if (b.region() == Buffer.Region.INPUT && plan.graph().inputs().size() > 1) {
      where = "x[b·INPUT_SIZE + " + b.fixedOffset() + "]";
    }
    String shape = b.region() == Buffer.Region.TARGET && plan.classifier()
        ? (labelsPerExample() == 1 ? "(B)" : "(B, " + labelsPerExample() + ")") : b.shapeText();
    if (decode && b.perExample()) shape = "(1, " + b.shape().features() + ")";
    return new String[] {dir, b.label(), shape, where};
  }

  private static String pad(String s, int w) {
    return s + " ".repeat(w - s.length());
  }
}
