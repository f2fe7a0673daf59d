package dev.nabla.bench.models;

import dev.nabla.dsl.Activation;
import dev.nabla.dsl.Dense;
import dev.nabla.dsl.Layer;
import dev.nabla.dsl.Loss;
import dev.nabla.dsl.Model;
import dev.nabla.dsl.Optimizer;
import dev.nabla.dsl.OptimizerType;
import dev.nabla.dsl.Shape;

/** Reference model mlp_small: 784-16-sigmoid-16-sigmoid-10, Adam lr 1e-3, batch 32. */
@Model(input = @Shape(784), loss = Loss.SOFTMAX_CROSS_ENTROPY)
@Optimizer(type = OptimizerType.ADAM, learningRate = 1e-3)
public abstract class MlpSmall {
  @Layer(units = 16, activation = Activation.SIGMOID) Dense hidden1;
  @Layer(units = 16, activation = Activation.SIGMOID) Dense hidden2;
  @Layer(units = 10) Dense logits;
}
