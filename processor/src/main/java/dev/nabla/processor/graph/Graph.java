package dev.nabla.processor.graph;

import java.util.ArrayList;
import java.util.List;

/**
 * The op graph of a model: a DAG of named nodes with static shapes, in topological order. Node 0
 * is the model's input (further {@code @Input} nodes follow it); the last node is the output.
 */
public record Graph(String modelName, List<Node> nodes) {
  public Graph {
    nodes = List.copyOf(nodes);
  }

  /** The model's own input, {@code @Model(input)}. */
  public Node input() {
    return nodes.get(0);
  }

  /** Every input node, the model's own first, then the {@code @Input} fields in declaration order. */
  public List<Node> inputs() {
    return nodes.stream().filter(Node::isInput).toList();
  }

  public Node output() {
    return nodes.get(nodes.size() - 1);
  }

  public Node node(int id) {
    return nodes.get(id);
  }

  /** The nodes that read node {@code id}, once per edge, in topological order. */
  public List<Consumer> consumers(int id) {
    List<Consumer> out = new ArrayList<>();
    for (Node n : nodes) {
      for (int i = 0; i < n.inputs().size(); i++) {
        if (n.inputs().get(i) == id) out.add(new Consumer(n, i));
      }
    }
    return out;
  }

  public List<Shape> inputShapes(Node n) {
    List<Shape> shapes = new ArrayList<>();
    for (int i : n.inputs()) shapes.add(nodes.get(i).shape());
    return shapes;
  }

  /** An edge: {@code node} reads the producer as its input number {@code slot}. */
  public record Consumer(Node node, int slot) {}
}
