package dev.nabla.processor;

import dev.nabla.processor.base.Report;
import dev.nabla.processor.graph.Graph;
import dev.nabla.processor.graph.GraphBuilder;
import dev.nabla.processor.graph.ShapeInference;
import dev.nabla.processor.plan.Plan;
import dev.nabla.processor.plan.Planner;
import dev.nabla.processor.validation.DeclarationReader;
import dev.nabla.processor.validation.ModelDecl;
import dev.nabla.processor.writing.ModelWriter;
import java.io.IOException;
import java.util.Optional;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * Processes one {@code @Model} class through the stages: validation, graph, shape inference,
 * plan, writing. Each stage adds to one report; code is written only when the report is clean.
 */
final class ModelStep {
  private final Filer filer;
  private final Messager messager;
  private final Elements elements;

  ModelStep(Filer filer, Messager messager, Elements elements) {
    this.filer = filer;
    this.messager = messager;
    this.elements = elements;
  }

  void process(TypeElement type) {
    Report report = new Report();
    Optional<ModelDecl> decl = DeclarationReader.read(type, ModelWriter.generatedName(type, "F32"), report);
    Optional<Graph> graph = decl.flatMap(d -> GraphBuilder.build(d, report))
        .flatMap(g -> ShapeInference.infer(g, decl.get(), report));
    report.printTo(messager);
    if (graph.isPresent() && !report.hasErrors()) write(Planner.plan(graph.get(), decl.get()), decl.get(), type);
  }

  private void write(Plan plan, ModelDecl decl, TypeElement type) {
    String pkg = elements.getPackageOf(type).getQualifiedName().toString();
    for (String precision : decl.precisions()) {
      try {
        ModelWriter.write(plan, type, precision, pkg).writeTo(filer);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
