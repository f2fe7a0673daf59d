package dev.nabla.processor.plan;

import dev.nabla.processor.graph.Node;

/** What forward and backward rules both see of their node. */
public interface NodeContext {
  Node node();

  Buffer in(int slot);

  Buffer out();

  /** The first feature column that input {@code slot} fills in a concatenation of all inputs. */
  default int column(int slot) {
    int col = 0;
    for (int i = 0; i < slot; i++) col += in(i).shape().features();
    return col;
  }
}
