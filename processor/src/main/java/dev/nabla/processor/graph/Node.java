package dev.nabla.processor.graph;

import dev.nabla.processor.ops.Op;
import java.util.List;

/**
 * One named node of the op graph. {@code name} is the PyTorch-style path ({@code hidden1},
 * {@code blocks.0.up}); inputs are indices of earlier nodes in the graph's topological order.
 */
public record Node(int id, String name, Op op, List<Integer> inputs, Shape shape, Origin origin) {
  public Node {
    inputs = List.copyOf(inputs);
  }

  public boolean isInput() {
    return op == null;
  }
}
