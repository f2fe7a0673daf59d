package dev.nabla.processor.plan;

import dev.nabla.processor.graph.Shape;

/**
 * A logical buffer of the plan. Per-example regions ({@link Region#INPUT}, {@link Region#TARGET},
 * {@link Region#ARENA}, {@link Region#OUTPUT}) hold B rows of {@code shape}; parameter regions hold
 * one tensor of {@code shape} at {@code fixedOffset} in the flat parameter (or gradient) array.
 * Arena offsets are assigned later by {@link MemoryPlan}.
 */
public record Buffer(int id, String label, Region region, Shape shape, int fixedOffset, boolean persistent) {

  public enum Region {
    /** The caller's input array {@code x}. */
    INPUT,
    /** The caller's labels or targets. */
    TARGET,
    /** The planned work arena. */
    ARENA,
    /** The caller's prediction array {@code out}. */
    OUTPUT,
    PARAMS,
    GRADS
  }

  public boolean perExample() {
    return region != Region.PARAMS && region != Region.GRADS;
  }

  /** Shape text for comments: "(B, 16)" per example, "(16, 784)" for a parameter. */
  public String shapeText() {
    return perExample() ? shape.withBatch() : shape.toString();
  }
}
