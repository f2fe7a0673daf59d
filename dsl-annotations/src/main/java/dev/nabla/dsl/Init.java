package dev.nabla.dsl;

/** Seeded weight initialisation of a {@link Dense} layer; biases start at zero. */
public enum Init {
  /** For a {@link Dense} layer, {@link #HE} before the ReLU family (ReLU, leaky ReLU, ELU, SELU, GELU, Swish), else {@link #XAVIER}. */
  AUTO,
  /** Normal with standard deviation 0.01. */
  SMALL_RANDOM,
  /** Xavier/Glorot uniform: U(−a, a), a = √(6 / (fanIn + fanOut)). */
  XAVIER,
  /** He/Kaiming normal: N(0, 2 / fanIn). */
  HE,
  /** Standard normal N(0, 1): the default of an {@link Embedding}, as PyTorch's nn.Embedding. */
  NORMAL
}
