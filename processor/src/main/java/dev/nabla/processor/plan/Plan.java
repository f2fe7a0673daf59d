package dev.nabla.processor.plan;

import dev.nabla.processor.graph.Graph;
import dev.nabla.processor.validation.OptimizerDecl;
import java.util.List;

/**
 * Everything the writers need: the graph, the parameters, the steps of a training step in order
 * (forward, loss, backward, update), the memory plan, and notes on the fusions applied.
 * {@code predictOutput} is the buffer holding the output layer after the forward steps;
 * {@code trainingOutputs} holds what {@code outputs()} returns after a training step. {@code
 * inputSize} is the values per example of all inputs together; {@code kvCacheSize} is the size of
 * the decode path's KV cache, or −1 when the model has no decode path.
 */
public record Plan(
    Graph graph,
    String loss,
    OptimizerDecl optimizer,
    List<ParamSlot> params,
    int parameterCount,
    List<Step> steps,
    MemoryPlan memory,
    Buffer predictOutput,
    Buffer trainingOutputs,
    List<String> fusions,
    java.util.Map<Integer, Check> checks,
    int inputSize,
    int kvCacheSize) {

  /** What the divergence check reports for a buffer: its layer and "output", "gradient", ... */
  public record Check(String layer, String what) {}

  public Plan {
    checks = java.util.Map.copyOf(checks);
    params = List.copyOf(params);
    steps = List.copyOf(steps);
    fusions = List.copyOf(fusions);
  }

  /** Whether the model gets a one-token decode path with a KV cache of {@link #kvCacheSize()} values. */
  public boolean decodable() {
    return kvCacheSize >= 0;
  }

  public boolean classifier() {
    return loss.equals("SOFTMAX_CROSS_ENTROPY");
  }

  public List<Step> steps(Step.Phase phase) {
    return steps.stream().filter(s -> s.phase() == phase).toList();
  }
}
