package dev.nabla.processor.plan;

import dev.nabla.processor.graph.Shape;
import java.util.List;

/** What an op's forward rule sees while the planner builds the forward steps. */
public interface ForwardContext extends NodeContext {

  /** Where to keep the pre-activation for the backward, or null when the output suffices. */
  Buffer pre();

  Buffer param(String suffix);

  /** A further per-example buffer of this node, kept for the backward (a dropout mask). */
  Buffer saveBuffer(String suffix, Shape shape);

  /** Adds a step: {@code what} becomes its javadoc line. */
  void step(String what, List<Buffer> reads, List<Buffer> writes, boolean training, Renderer r);

  /**
   * Reserves this node's slice of the KV cache, {@code perPosition} values for each position of the
   * model's context; returns its offset in the cache array.
   */
  int kvCache(int perPosition);
}
