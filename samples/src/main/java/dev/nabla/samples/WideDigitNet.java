package dev.nabla.samples;

import dev.nabla.dsl.Activation;
import dev.nabla.dsl.Dense;
import dev.nabla.dsl.Layer;
import dev.nabla.dsl.Loss;
import dev.nabla.dsl.Model;
import dev.nabla.dsl.Optimizer;
import dev.nabla.dsl.Precision;
import dev.nabla.dsl.Shape;

/** A 784-128-64-10 ReLU digit recogniser. */
@Model(input = @Shape(784), loss = Loss.SOFTMAX_CROSS_ENTROPY, precision = {Precision.F32, Precision.F64})
@Optimizer(learningRate = 0.02, momentum = 0.9, nesterov = true)
public abstract class WideDigitNet {
  @Layer(units = 128, activation = Activation.RELU) Dense hidden1;
  @Layer(units = 64, activation = Activation.RELU) Dense hidden2;
  @Layer(units = 10) Dense logits;
}
