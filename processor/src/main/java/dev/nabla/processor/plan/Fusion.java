package dev.nabla.processor.plan;

import dev.nabla.processor.graph.Graph;
import dev.nabla.processor.graph.Node;
import dev.nabla.processor.ops.ActivationFn;
import java.util.ArrayList;
import java.util.List;

/**
 * Backward fusion decisions. Gradients flow to a node from each edge that reads it, in the order
 * the backward visits them (reverse topological; the loss first for the output). The first edge
 * writes the node's gradient, later ones add to it, and the last one folds the node's activation
 * derivative into its epilogue when its op can ({@code Op#foldsInputDerivative}); otherwise the
 * planner runs one activation-backward pass before the node's own backward.
 */
final class Fusion {
  private final Graph graph;
  private final boolean[] requiresGrad;
  private final List<List<Graph.Consumer>> contributions = new ArrayList<>();

  Fusion(Graph graph) {
    this.graph = graph;
    this.requiresGrad = new boolean[graph.nodes().size()];
    for (Node n : graph.nodes()) contributions.add(edgesInBackwardOrder(n));
    for (Node n : graph.nodes()) {
      if (n.isInput()) continue;
      boolean any = !n.op().parameters(graph.inputShapes(n), n.shape()).isEmpty();
      for (int in : n.inputs()) any |= requiresGrad[in];
      requiresGrad[n.id()] = any;
    }
  }

  boolean requiresGrad(Node n) {
    return requiresGrad[n.id()];
  }

  /** Edges that contribute to the gradient of {@code producer}, in backward order; null is the loss. */
  List<Graph.Consumer> contributions(Node producer) {
    return contributions.get(producer.id());
  }

  /** The node whose backward finishes the producer's gradient (null: the loss). */
  Node lastContributor(Node producer) {
    List<Graph.Consumer> edges = contributions(producer);
    Graph.Consumer last = edges.get(edges.size() - 1);
    return last == null ? null : last.node();
  }

  private List<Graph.Consumer> edgesInBackwardOrder(Node producer) {
    List<Graph.Consumer> edges = new ArrayList<>();
    if (producer == graph.output()) edges.add(null);
    List<Graph.Consumer> consumers = graph.consumers(producer.id());
    for (int i = consumers.size() - 1; i >= 0; i--) {
      // consumers come in topological order with slots ascending; visit nodes latest first, slots in order
      int j = i;
      while (j > 0 && consumers.get(j - 1).node() == consumers.get(i).node()) j--;
      for (int k = j; k <= i; k++) edges.add(consumers.get(k));
      i = j;
    }
    return edges;
  }

  boolean isFirst(Node producer, Graph.Consumer edge) {
    List<Graph.Consumer> edges = contributions(producer);
    return edges.get(0) != null && edges.get(0).equals(edge);
  }

  /** The activation whose derivative {@code edge} folds into its backward, or NONE. */
  ActivationFn foldAt(Node producer, Graph.Consumer edge) {
    if (!folded(producer)) return ActivationFn.NONE;
    List<Graph.Consumer> edges = contributions(producer);
    return edges.get(edges.size() - 1).equals(edge) ? producer.op().activation() : ActivationFn.NONE;
  }

  /** Whether the producer's activation derivative is folded into a consumer's backward. */
  boolean folded(Node producer) {
    if (producer.isInput() || producer.op().activation() == ActivationFn.NONE || producer.op().isActivationOnly()) {
      return false;
    }
    Node last = lastContributor(producer);
    return last != null && last.op().foldsInputDerivative();
  }

  /** Whether the producer needs its own activation-backward pass. */
  boolean needsActivationPass(Node producer) {
    return !producer.isInput() && producer.op().activation() != ActivationFn.NONE
        && !producer.op().isActivationOnly() && !folded(producer);
  }
}
