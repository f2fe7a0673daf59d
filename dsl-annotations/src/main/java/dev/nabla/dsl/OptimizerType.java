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
  ADAM,
  /**
   * AdaGrad, as {@code torch.optim.Adagrad} (lr_decay 0): s = s + g²; p −= lr·g / (√s + ε). The
   * accumulator s starts at {@link Optimizer#initialAccumulator()}; ε defaults to 1e-10.
   */
  ADAGRAD,
  /**
   * RMSProp, as {@code torch.optim.RMSprop}: s = α·s + (1−α)·g²; centered: ḡ = α·ḡ + (1−α)·g and
   * d = √(s − ḡ²) + ε, else d = √s + ε; with momentum μ: b = μ·b + g/d, p −= lr·b, else p −= lr·g/d.
   */
  RMSPROP,
  /**
   * AdaDelta, as {@code torch.optim.Adadelta}: s = ρ·s + (1−ρ)·g²; δ = √(u + ε) / √(s + ε) · g;
   * u = ρ·u + (1−ρ)·δ²; p −= lr·δ. ε defaults to 1e-6 (torch's lr default is 1.0; ours stays 0.01).
   */
  ADADELTA,
  /**
   * AdamW, as {@code torch.optim.AdamW}: the decoupled weight decay p −= lr·λ·p, then Adam's step.
   * λ is {@link Optimizer#weightDecay()} (default 0.01).
   */
  ADAMW,
  /**
   * Adamax, as {@code torch.optim.Adamax}: m = β1·m + (1−β1)·g; u = max(β2·u, |g| + ε);
   * p −= lr / (1−β1ᵗ) · m / u.
   */
  ADAMAX,
  /**
   * NAdam, as {@code torch.optim.NAdam} (torch 1.13): μₜ = β1·(1 − ½·0.96^(t·ψ)) with ψ the
   * {@link Optimizer#momentumDecay()}; m and v as Adam; d = √(v / (1−β2ᵗ)) + ε;
   * p −= lr·(1−μₜ)/(1−Πμ₁..ₜ)·g/d + lr·μₜ₊₁/(1−μₜ·Πμ₁..ₜ₊₁)·m/d (μₜ twice in the last product, as torch
   * 1.13 computes it).
   */
  NADAM
}
