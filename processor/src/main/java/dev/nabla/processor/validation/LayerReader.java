package dev.nabla.processor.validation;

import static dev.nabla.processor.base.Annotations.enumName;
import static dev.nabla.processor.base.Annotations.explicit;
import static dev.nabla.processor.base.Annotations.value;

import dev.nabla.processor.base.Annotations;
import dev.nabla.processor.base.Location;
import dev.nabla.processor.base.Message;
import dev.nabla.processor.base.Report;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.util.ElementFilter;

/**
 * Reads the {@code @Layer} fields of a model or block class, checking each attribute against its
 * layer kind and its range. Block classes are read once and shared; a block that contains itself
 * is reported on the field that closes the loop.
 */
final class LayerReader {
  static final String LAYER = "dev.nabla.dsl.Layer";
  static final String ATTENTION = "dev.nabla.dsl.Attention";
  static final String BLOCK = "dev.nabla.dsl.Block";
  private static final String[] ORDER = {
    "units", "bias", "activation", "alpha", "temperature", "init", "rate", "context", "from", "repeat"
  };
  private static final String[] ATTENTION_ORDER = {"heads", "causal", "memory", "from", "repeat"};

  private final Report report;
  private final Map<String, NetworkDecl> blocks = new HashMap<>();
  private final Deque<String> reading = new ArrayDeque<>();

  LayerReader(Report report) {
    this.report = report;
  }

  NetworkDecl read(TypeElement type) {
    String key = type.getQualifiedName().toString();
    NetworkDecl done = blocks.get(key);
    if (done != null) return done;
    reading.push(key);
    List<LayerDecl> layers = new ArrayList<>();
    boolean annotated = false;
    for (VariableElement field : ElementFilter.fieldsIn(type.getEnclosedElements())) {
      Optional<AnnotationMirror> layer = Annotations.find(field, LAYER);
      Optional<AnnotationMirror> attention = Annotations.find(field, ATTENTION);
      if (layer.isPresent() && attention.isPresent()) {
        annotated = true;
        report.error(Message.WRONG_ANNOTATION, Location.of(field, attention.get()), field.getSimpleName(),
            "annotated twice", "Layer or @Attention, not both");
      } else if (layer.isPresent() || attention.isPresent()) {
        annotated = true;
        readLayer(field, layer.orElseGet(attention::get), attention.isPresent()).ifPresent(layers::add);
      }
    }
    reading.pop();
    // Reported even after other mistakes (a class-shape error must not hide it); a class whose
    // @Layer fields were all rejected already has an error on each of them.
    if (!annotated) {
      report.error(Message.NO_LAYERS, Location.of(type), type.getSimpleName());
    }
    NetworkDecl decl = new NetworkDecl(type, layers);
    blocks.put(key, decl);
    return decl;
  }

  private Optional<LayerDecl> readLayer(VariableElement field, AnnotationMirror mirror, boolean attention) {
    String name = field.getSimpleName().toString();
    Location at = Location.of(field, mirror);
    if (field.getModifiers().contains(Modifier.STATIC)) {
      report.error(Message.STATIC_LAYER, at, name);
      return Optional.empty();
    }
    if (name.equals("input")) {
      report.error(Message.RESERVED_NAME, at, name);
      return Optional.empty();
    }
    LayerKind kind = null;
    TypeElement blockType = null;
    if (field.asType().getKind() == TypeKind.DECLARED) {
      TypeElement t = (TypeElement) ((DeclaredType) field.asType()).asElement();
      kind = LayerKind.ofDslType(t.getQualifiedName().toString());
      if (kind == null && Annotations.find(t, BLOCK).isPresent()) {
        kind = LayerKind.BLOCK;
        blockType = t;
      }
    }
    if (kind == null) {
      report.error(Message.UNKNOWN_LAYER_KIND, Location.of(field), name, field.asType());
      return Optional.empty();
    }
    if (kind.isAttention() != attention) {
      report.error(Message.WRONG_ANNOTATION, at, name, "a" + (kind == LayerKind.BLOCK ? " block" : " " + kind.typeName()),
          kind.isAttention() ? "Attention" : "Layer");
      return Optional.empty();
    }
    if (attention) return readAttention(name, kind, field, mirror);
    int before = report.findings().size();
    checkApplicable(kind, name, field, mirror);

    int units = intValue(mirror, "units");
    int context = intValue(mirror, "context");
    String activation = enumName(value(mirror, "activation"));
    double alpha = doubleValue(mirror, "alpha");
    double temperature = doubleValue(mirror, "temperature");
    double rate = doubleValue(mirror, "rate");
    int repeat = intValue(mirror, "repeat");

    if (kind == LayerKind.DENSE || kind == LayerKind.EMBEDDING) {
      if (explicit(mirror, "units").isEmpty()) {
        report.error(Message.MISSING_UNITS, at, kind.typeName(), name, kind == LayerKind.DENSE ? "outputs" : "features per token");
      } else {
        HyperParameters.positive(units, "units of '" + name + "'", attr(field, mirror, "units"), report);
      }
    }
    if (explicit(mirror, "context").isPresent()) {
      HyperParameters.positive(context, "context of '" + name + "'", attr(field, mirror, "context"), report);
    }
    HyperParameters.positive(repeat, "repeat of '" + name + "'", attr(field, mirror, "repeat"), report);
    if (kind == LayerKind.DROPOUT) {
      HyperParameters.unitInterval(rate, "dropout rate of '" + name + "'", attr(field, mirror, "rate"), report);
    }
    checkActivationParameters(name, field, mirror, activation, alpha, temperature);

    NetworkDecl block = null;
    if (blockType != null) {
      if (reading.contains(blockType.getQualifiedName().toString())) {
        report.error(Message.RECURSIVE_BLOCK, Location.of(field), blockType.getSimpleName(), name);
      } else {
        block = read(blockType);
      }
    }
    if (report.findings().size() > before && report.hasErrors()) return Optional.empty();

    List<String> from = new ArrayList<>();
    for (AnnotationValue v : Annotations.list(value(mirror, "from"))) from.add((String) v.getValue());
    return Optional.of(new LayerDecl(name, kind, field, mirror, units,
        (Boolean) value(mirror, "bias").getValue(), activation, alpha, temperature,
        enumName(value(mirror, "init")), rate, from, repeat, block, context, 0, false, ""));
  }

  private Optional<LayerDecl> readAttention(String name, LayerKind kind, VariableElement field, AnnotationMirror mirror) {
    int before = report.findings().size();
    if (kind == LayerKind.SELF_ATTENTION && explicit(mirror, "memory").isPresent()) {
      report.error(Message.ATTRIBUTE_NOT_APPLICABLE, attr(field, mirror, "memory"), "memory", "a SelfAttention", name,
          " (memory names the keys and values of a CrossAttention)");
    }
    int heads = intValue(mirror, "heads");
    int repeat = intValue(mirror, "repeat");
    String memory = (String) value(mirror, "memory").getValue();
    String from = (String) value(mirror, "from").getValue();
    HyperParameters.positive(heads, "heads of '" + name + "'", attr(field, mirror, "heads"), report);
    HyperParameters.positive(repeat, "repeat of '" + name + "'", attr(field, mirror, "repeat"), report);
    if (kind == LayerKind.CROSS_ATTENTION && memory.isEmpty()) {
      report.error(Message.MISSING_MEMORY, Location.of(field, mirror), name);
    }
    if (report.findings().size() > before && report.hasErrors()) return Optional.empty();
    return Optional.of(new LayerDecl(name, kind, field, mirror, 0, true, "NONE", Double.NaN, 1.0, "AUTO", 0,
        from.isEmpty() ? List.of() : List.of(from), repeat, null, 0, heads,
        (Boolean) value(mirror, "causal").getValue(), memory));
  }

  private void checkApplicable(LayerKind kind, String name, VariableElement field, AnnotationMirror mirror) {
    for (String attribute : ORDER) {
      if (explicit(mirror, attribute).isPresent() && !kind.uses(attribute)) {
        String kindName = kind == LayerKind.BLOCK ? "block" : kind.typeName();
        report.error(Message.ATTRIBUTE_NOT_APPLICABLE, attr(field, mirror, attribute), attribute,
            kind == LayerKind.ADD || kind == LayerKind.ACTIVATION ? "an " + kindName : "a " + kindName,
            name, "");
      }
    }
  }

  private void checkActivationParameters(String name, VariableElement field, AnnotationMirror mirror,
      String activation, double alpha, double temperature) {
    boolean takesAlpha = activation.equals("LEAKY_RELU") || activation.equals("ELU");
    if (explicit(mirror, "alpha").isPresent()) {
      if (!takesAlpha) {
        report.error(Message.ATTRIBUTE_NOT_APPLICABLE, attr(field, mirror, "alpha"), "alpha",
            "activation " + activation + " of", name, " (alpha is for LEAKY_RELU and ELU)");
      } else {
        HyperParameters.positiveFinite(alpha, "alpha of '" + name + "'", attr(field, mirror, "alpha"), report);
      }
    }
    if (explicit(mirror, "temperature").isPresent()) {
      if (!activation.equals("SOFTMAX")) {
        report.error(Message.ATTRIBUTE_NOT_APPLICABLE, attr(field, mirror, "temperature"), "temperature",
            "activation " + activation + " of", name, " (temperature is for SOFTMAX)");
      } else {
        HyperParameters.positiveFinite(temperature, "temperature of '" + name + "'",
            attr(field, mirror, "temperature"), report);
      }
    }
  }

  private static Location attr(VariableElement field, AnnotationMirror mirror, String attribute) {
    return Location.of(field, mirror, explicit(mirror, attribute).orElse(null));
  }

  private static int intValue(AnnotationMirror mirror, String attribute) {
    return ((Number) value(mirror, attribute).getValue()).intValue();
  }

  private static double doubleValue(AnnotationMirror mirror, String attribute) {
    return ((Number) value(mirror, attribute).getValue()).doubleValue();
  }
}
