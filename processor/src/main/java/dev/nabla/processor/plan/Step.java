package dev.nabla.processor.plan;

import java.util.List;

/**
 * One fused kernel of the plan, written as one method of the generated class. {@code reads} and
 * {@code writes} drive buffer lifetimes; {@code training} marks a step that behaves differently at
 * inference (dropout), whose method then takes the flag.
 */
public record Step(String method, String summary, Phase phase, List<Buffer> reads, List<Buffer> writes,
                   boolean training, Renderer renderer) {

  public enum Phase { FORWARD, LOSS, BACKWARD, UPDATE }

  public Step {
    reads = List.copyOf(reads);
    writes = List.copyOf(writes);
  }
}
