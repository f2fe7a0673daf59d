package dev.nabla.processor.writing;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;

/** The element type the writer emits a model in, and the runtime types that go with it. */
enum Precision {
  F32("", TypeName.FLOAT, "FloatKernels", "F32", "Network"),
  F64("F64", TypeName.DOUBLE, "DoubleKernels", "F64", "NetworkF64");

  static final String RUNTIME = "dev.nabla.runtime";

  final String classSuffix;
  final TypeName element;
  final ArrayTypeName array;
  final ClassName kernelsType;
  final String kernelsField;
  final ClassName networkType;

  Precision(String classSuffix, TypeName element, String kernelsType, String kernelsField, String network) {
    this.classSuffix = classSuffix;
    this.element = element;
    this.array = ArrayTypeName.of(element);
    this.kernelsType = ClassName.get(RUNTIME + ".kernel", kernelsType);
    this.kernelsField = kernelsField;
    this.networkType = ClassName.get(RUNTIME, network);
  }

  CodeBlock literal(double v) {
    if (this == F64) return CodeBlock.of("$L", Double.toString(v));
    String f = Float.toString((float) v);
    return CodeBlock.of("$Lf", f);
  }
}
