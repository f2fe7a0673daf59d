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

    AnnotationMirror shape = (AnnotationMirror) value(model, "input").getValue();
    List<? extends AnnotationValue> dimValues = Annotations.list(value(shape, "value"));
    int[] dims = new int[dimValues.size()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = ((Number) dimValues.get(i).getValue()).intValue();
      HyperParameters.positive(dims[i], "input dimension " + i, Location.of(type, model, dimValues.get(i)), report);
    }
    if (dims.length == 0) {
      report.error(Message.NON_POSITIVE_SIZE, Location.of(type, model, value(model, "input")),
          "the number of input dimensions", 0);
    }
    String loss = enumName(value(model, "loss"));
    LinkedHashSet<String> precisions = new LinkedHashSet<>();
    for (AnnotationValue v : Annotations.list(value(model, "precision"))) precisions.add(enumName(v));

    OptimizerDecl optimizer = readOptimizer(type, report);
    NetworkDecl body = new LayerReader(report).read(type);
    if (report.hasErrors()) return Optional.empty();
    return Optional.of(new ModelDecl(type, model, dims, loss, new ArrayList<>(precisions), optimizer, body));
  }

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
    double epsilon = number(m, "epsilon");
    HyperParameters.positiveFinite(lr, "learningRate", at(type, m, "learningRate"), report);
    List<String> unused = kind.equals("ADAM") ? List.of("momentum", "nesterov") : List.of("beta1", "beta2", "epsilon");
    for (String attribute : unused) {
      if (explicit(m, attribute).isPresent()) {
        report.error(Message.OPTIMIZER_ATTRIBUTE_NOT_APPLICABLE, at(type, m, attribute), attribute, kind,
            kind.equals("ADAM") ? "SGD" : "ADAM");
      }
    }
    if (kind.equals("ADAM")) {
      HyperParameters.unitInterval(beta1, "beta1", at(type, m, "beta1"), report);
      HyperParameters.unitInterval(beta2, "beta2", at(type, m, "beta2"), report);
      HyperParameters.positiveFinite(epsilon, "epsilon", at(type, m, "epsilon"), report);
    } else {
      HyperParameters.unitInterval(momentum, "momentum", at(type, m, "momentum"), report);
      if (nesterov && momentum == 0) report.error(Message.NESTEROV_WITHOUT_MOMENTUM, at(type, m, "nesterov"));
    }
    return new OptimizerDecl(kind, lr, momentum, nesterov, beta1, beta2, epsilon);
  }

  private static double number(AnnotationMirror m, String attribute) {
    return ((Number) value(m, attribute).getValue()).doubleValue();
  }

  private static Location at(TypeElement type, AnnotationMirror m, String attribute) {
    return Location.of(type, m, explicit(m, attribute).orElse(null));
  }
}
