package dev.nabla.bench.models;

import dev.nabla.dsl.Activation;
import dev.nabla.dsl.Dense;
import dev.nabla.dsl.Layer;
import dev.nabla.dsl.Loss;
import dev.nabla.dsl.Model;
import dev.nabla.dsl.Optimizer;
import dev.nabla.dsl.OptimizerType;
import dev.nabla.dsl.Shape;

/** Reference model mlp_wide: 784-512-relu-512-relu-10, Adam lr 1e-3, batch 128. */
@Model(input = @Shape(784), loss = Loss.SOFTMAX_CROSS_ENTROPY)
@Optimizer(type = OptimizerType.ADAM, learningRate = 1e-3)
public abstract class MlpWide {
  @Layer(units = 512, activation = Activation.RELU) Dense hidden1;
  @Layer(units = 512, activation = Activation.RELU) Dense hidden2;
  @Layer(units = 10) Dense logits;
}
