package dev.nabla.samples;

import dev.nabla.dsl.Activation;
import dev.nabla.dsl.Dense;
import dev.nabla.dsl.Layer;
import dev.nabla.dsl.Loss;
import dev.nabla.dsl.Model;
import dev.nabla.dsl.Optimizer;
import dev.nabla.dsl.OptimizerType;
import dev.nabla.dsl.Shape;

/** NAdam keeps a scalar (the product of its momentum coefficients) that a checkpoint must carry. */
@Model(input = @Shape(12), loss = Loss.SOFTMAX_CROSS_ENTROPY)
@Optimizer(type = OptimizerType.NADAM, learningRate = 0.01)
abstract class CheckpointNadamNet {
  @Layer(units = 8, activation = Activation.TANH) Dense hidden;
  @Layer(units = 4) Dense logits;
}
