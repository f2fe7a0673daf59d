package dev.nabla.samples;

import dev.nabla.dsl.Activation;
import dev.nabla.dsl.Dense;
import dev.nabla.dsl.Layer;
import dev.nabla.dsl.Loss;
import dev.nabla.dsl.Model;
import dev.nabla.dsl.Optimizer;
import dev.nabla.dsl.OptimizerType;
import dev.nabla.dsl.Shape;

/**
 * The {@link DigitNet} architecture (784-16-16-10, sigmoid hidden layers, softmax cross-entropy) once
 * per optimiser, for {@link OptimizerComparison}. Each nested model generates
 * {@code DigitOptimizers_<Name>Model}. The learning rates are ordinary choices for each method on this
 * net (not tuned per run): plain SGD gets a larger step since it has no momentum to build one up;
 * AdaDelta uses torch's default rate 1.0; the Adam family 3e-3 (Adamax, whose step is bounded by the
 * rate, 1e-2).
 */
public final class DigitOptimizers {
  private DigitOptimizers() {}

  /** SGD: learningRate = 0.5. */
  @Model(input = @Shape(784), loss = Loss.SOFTMAX_CROSS_ENTROPY)
  @Optimizer(type = OptimizerType.SGD, learningRate = 0.5)
  public abstract static class Sgd {
    @Layer(units = 16, activation = Activation.SIGMOID) Dense hidden1;
    @Layer(units = 16, activation = Activation.SIGMOID) Dense hidden2;
    @Layer(units = 10) Dense logits;
  }

  /** SGD + momentum: learningRate = 0.1, momentum = 0.9. */
  @Model(input = @Shape(784), loss = Loss.SOFTMAX_CROSS_ENTROPY)
  @Optimizer(type = OptimizerType.SGD, learningRate = 0.1, momentum = 0.9)
  public abstract static class Momentum {
    @Layer(units = 16, activation = Activation.SIGMOID) Dense hidden1;
    @Layer(units = 16, activation = Activation.SIGMOID) Dense hidden2;
    @Layer(units = 10) Dense logits;
  }

  /** Nesterov: learningRate = 0.1, momentum = 0.9, nesterov = true. */
  @Model(input = @Shape(784), loss = Loss.SOFTMAX_CROSS_ENTROPY)
  @Optimizer(type = OptimizerType.SGD, learningRate = 0.1, momentum = 0.9, nesterov = true)
  public abstract static class Nesterov {
    @Layer(units = 16, activation = Activation.SIGMOID) Dense hidden1;
    @Layer(units = 16, activation = Activation.SIGMOID) Dense hidden2;
    @Layer(units = 10) Dense logits;
  }

  /** AdaGrad: learningRate = 0.1. */
  @Model(input = @Shape(784), loss = Loss.SOFTMAX_CROSS_ENTROPY)
  @Optimizer(type = OptimizerType.ADAGRAD, learningRate = 0.1)
  public abstract static class AdaGrad {
    @Layer(units = 16, activation = Activation.SIGMOID) Dense hidden1;
    @Layer(units = 16, activation = Activation.SIGMOID) Dense hidden2;
    @Layer(units = 10) Dense logits;
  }

  /** RMSProp: learningRate = 0.003. */
  @Model(input = @Shape(784), loss = Loss.SOFTMAX_CROSS_ENTROPY)
  @Optimizer(type = OptimizerType.RMSPROP, learningRate = 0.003)
  public abstract static class RmsProp {
    @Layer(units = 16, activation = Activation.SIGMOID) Dense hidden1;
    @Layer(units = 16, activation = Activation.SIGMOID) Dense hidden2;
    @Layer(units = 10) Dense logits;
  }

  /** AdaDelta: learningRate = 1.0. */
  @Model(input = @Shape(784), loss = Loss.SOFTMAX_CROSS_ENTROPY)
  @Optimizer(type = OptimizerType.ADADELTA, learningRate = 1.0)
  public abstract static class AdaDelta {
    @Layer(units = 16, activation = Activation.SIGMOID) Dense hidden1;
    @Layer(units = 16, activation = Activation.SIGMOID) Dense hidden2;
    @Layer(units = 10) Dense logits;
  }

  /** Adam: learningRate = 0.003. */
  @Model(input = @Shape(784), loss = Loss.SOFTMAX_CROSS_ENTROPY)
  @Optimizer(type = OptimizerType.ADAM, learningRate = 0.003)
  public abstract static class Adam {
    @Layer(units = 16, activation = Activation.SIGMOID) Dense hidden1;
    @Layer(units = 16, activation = Activation.SIGMOID) Dense hidden2;
    @Layer(units = 10) Dense logits;
  }

  /** AdamW: learningRate = 0.003, weightDecay = 0.01. */
  @Model(input = @Shape(784), loss = Loss.SOFTMAX_CROSS_ENTROPY)
  @Optimizer(type = OptimizerType.ADAMW, learningRate = 0.003, weightDecay = 0.01)
  public abstract static class AdamW {
    @Layer(units = 16, activation = Activation.SIGMOID) Dense hidden1;
    @Layer(units = 16, activation = Activation.SIGMOID) Dense hidden2;
    @Layer(units = 10) Dense logits;
  }

  /** Adamax: learningRate = 0.01. */
  @Model(input = @Shape(784), loss = Loss.SOFTMAX_CROSS_ENTROPY)
  @Optimizer(type = OptimizerType.ADAMAX, learningRate = 0.01)
  public abstract static class Adamax {
    @Layer(units = 16, activation = Activation.SIGMOID) Dense hidden1;
    @Layer(units = 16, activation = Activation.SIGMOID) Dense hidden2;
    @Layer(units = 10) Dense logits;
  }

  /** NAdam: learningRate = 0.003. */
  @Model(input = @Shape(784), loss = Loss.SOFTMAX_CROSS_ENTROPY)
  @Optimizer(type = OptimizerType.NADAM, learningRate = 0.003)
  public abstract static class NAdam {
    @Layer(units = 16, activation = Activation.SIGMOID) Dense hidden1;
    @Layer(units = 16, activation = Activation.SIGMOID) Dense hidden2;
    @Layer(units = 10) Dense logits;
  }
}
