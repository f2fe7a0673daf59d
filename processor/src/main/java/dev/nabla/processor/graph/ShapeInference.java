package dev.nabla.processor.graph;

import dev.nabla.processor.base.Message;
import dev.nabla.processor.base.Report;
import dev.nabla.processor.ops.ActivationFn;
import dev.nabla.processor.ops.ShapeContext;
import dev.nabla.processor.validation.ModelDecl;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Shape inference: runs each op's shape rule in topological order and checks that the output
 * suits the loss. Findings point at the {@code from} entry or attribute that caused them.
 */
public final class ShapeInference {
  private ShapeInference() {}

  public static Optional<Graph> infer(Graph graph, ModelDecl model, Report report) {
    List<Node> shaped = new ArrayList<>();
    shaped.add(graph.input());
    for (int i = 1; i < graph.nodes().size(); i++) {
      Node n = graph.node(i);
      if (n.isInput()) {
        shaped.add(n);
        continue;
      }
      List<Shape> inputs = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (int in : n.inputs()) {
        inputs.add(shaped.get(in).shape());
        names.add(shaped.get(in).name());
      }
      for (int slot = 0; slot < inputs.size(); slot++) {
        if (inputs.get(slot).isTokens() && !n.op().readsTokens()) {
          report.error(Message.TOKEN_INPUT, n.origin().fromEntry(slot), n.name(), n.op().kind(), names.get(slot),
              inputs.get(slot));
          return Optional.empty();
        }
      }
      Shape out = n.op().inferShape(new Context(n, names, inputs, report));
      if (out == null) return Optional.empty();
      shaped.add(new Node(n.id(), n.name(), n.op(), n.inputs(), out, n.origin()));
    }
    Graph result = new Graph(graph.modelName(), shaped);
    return checkLoss(result, model, report) ? Optional.of(result) : Optional.empty();
  }

  private static boolean checkLoss(Graph g, ModelDecl model, Report report) {
    Node out = g.output();
    if (model.loss().equals("BINARY_CROSS_ENTROPY") && out.op().activation() != ActivationFn.NONE) {
      report.error(Message.LOSS_OUTPUT, out.origin().attribute("activation"),
          "loss BINARY_CROSS_ENTROPY applies the sigmoid itself; the output layer '" + out.name()
              + "' must produce logits (no activation), it has " + out.op().activation());
      return false;
    }
    if (!model.loss().equals("SOFTMAX_CROSS_ENTROPY")) return true;
    if (out.op().activation() != ActivationFn.NONE) {
      report.error(Message.LOSS_OUTPUT, out.origin().attribute("activation"),
          "loss SOFTMAX_CROSS_ENTROPY applies the softmax itself; the output layer '" + out.name()
              + "' must produce logits (no activation), it has " + out.op().activation());
      return false;
    }
    if (out.shape().rank() > 2 || out.shape().features() < 2) {
      report.error(Message.LOSS_OUTPUT, out.origin().annotation(),
          "loss SOFTMAX_CROSS_ENTROPY needs an output of two or more classes per example (or per position of a"
              + " sequence); '" + out.name() + "' has shape " + out.shape());
      return false;
    }
    return out.shape().rank() == 1 || checkVocabulary(g, out, report);
  }

  /**
   * A next-token output, (T, V) over a token input of length T, must predict that input's
   * vocabulary: the last declared token input of the output's length is the one it continues.
   */
  private static boolean checkVocabulary(Graph g, Node out, Report report) {
    Node continued = null;
    for (Node in : g.inputs()) {
      if (in.shape().isTokens() && in.shape().dim(0) == out.shape().dim(0)) continued = in;
    }
    if (continued == null || continued.shape().vocab() == out.shape().features()) return true;
    report.error(Message.VOCABULARY_MISMATCH, out.origin().attribute("units"), out.name(), out.shape().features(),
        continued.name(), continued.shape().vocab());
    return false;
  }

  private record Context(Node node, List<String> inputNames, List<Shape> inputs, Report report)
      implements ShapeContext {
    @Override
    public String name() {
      return node.name();
    }

    @Override
    public void mismatch(int slot, String what, String why) {
      report.error(Message.SHAPE_MISMATCH, node.origin().fromEntry(slot), node.name(), what, why);
    }

    @Override
    public void report(Message message, int slot, Object... args) {
      report.error(message, node.origin().fromEntry(slot), args);
    }

    @Override
    public void reportAttribute(Message message, String attribute, Object... args) {
      report.error(message, node.origin().attribute(attribute), args);
    }
  }
}
