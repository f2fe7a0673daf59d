package dev.nabla.samples;

import dev.nabla.dsl.Activation;
import dev.nabla.dsl.Dense;
import dev.nabla.dsl.Layer;
import dev.nabla.dsl.Loss;
import dev.nabla.dsl.Model;
import dev.nabla.dsl.Optimizer;
import dev.nabla.dsl.Precision;
import dev.nabla.dsl.Shape;

/** The 784-16-16-10 digit recogniser of the course notes: two sigmoid hidden layers of 16. */
@Model(input = @Shape(784), loss = Loss.SOFTMAX_CROSS_ENTROPY, precision = {Precision.F32, Precision.F64})
@Optimizer(learningRate = 0.1, momentum = 0.9)
public abstract class DigitNet {
  @Layer(units = 16, activation = Activation.SIGMOID) Dense hidden1;
  @Layer(units = 16, activation = Activation.SIGMOID) Dense hidden2;
  @Layer(units = 10) Dense logits;
}
