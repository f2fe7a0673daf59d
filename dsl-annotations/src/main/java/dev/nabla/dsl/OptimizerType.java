package dev.nabla.dsl;

/** The optimisers {@link Optimizer} can generate. */
public enum OptimizerType {
  /**
   * Stochastic gradient descent, with optional momentum and Nesterov, as {@code torch.optim.SGD}
   * (dampening 0): {@code v = μ·v + g; p -= lr·(nesterov ? g + μ·v : v)}. Full-batch, mini-batch and
   * stochastic descent are batch sizes of the same loop.
   */
  SGD,
  /**
   * Adam with bias correction, as {@code torch.optim.Adam}: m = β1·m + (1−β1)·g; v = β2·v +
   * (1−β2)·g²; p −= lr·m̂ / (√v̂ + ε), m̂ = m / (1−β1ᵗ), v̂ = v / (1−β2ᵗ).
   */
  ADAM
}
