package dev.nabla.dsl;

/** Element-wise (and row-wise, for softmax) activations. */
public enum Activation {
  /** The identity. */
  NONE,
  /** 1 / (1 + e^-x). */
  SIGMOID,
  TANH,
  /** max(0, x). */
  RELU,
  /** x for x &gt; 0, else alpha·x (alpha defaults to 0.01). */
  LEAKY_RELU,
  /** x for x &gt; 0, else alpha·(e^x − 1) (alpha defaults to 1). */
  ELU,
  /** λ·ELU(x) with α = 1.6732632, λ = 1.0507010 (self-normalising). */
  SELU,
  /** x·Φ(x), the exact Gaussian form (as PyTorch's default). */
  GELU,
  /** Swish / SiLU: x·sigmoid(x). */
  SWISH,
  /** softmax(x / temperature) over the features of each example. */
  SOFTMAX
}
