package dev.nabla.samples;

import dev.nabla.dsl.Activation;
import dev.nabla.dsl.Dense;
import dev.nabla.dsl.Layer;
import dev.nabla.dsl.Loss;
import dev.nabla.dsl.Model;
import dev.nabla.dsl.Optimizer;
import dev.nabla.dsl.OptimizerType;
import dev.nabla.dsl.Shape;

/** The 13-64-64-1 ReLU regressor of the house-price sample: MSE on standardised prices, Adam. */
@Model(input = @Shape(13), loss = Loss.MSE)
@Optimizer(type = OptimizerType.ADAM, learningRate = 1e-3)
public abstract class HouseNet {
  @Layer(units = 64, activation = Activation.RELU) Dense hidden1;
  @Layer(units = 64, activation = Activation.RELU) Dense hidden2;
  @Layer(units = 1) Dense price;
}
