package dev.nabla.samples;

import dev.nabla.dsl.Dense;
import dev.nabla.dsl.Layer;
import dev.nabla.dsl.Loss;
import dev.nabla.dsl.Model;
import dev.nabla.dsl.Optimizer;
import dev.nabla.dsl.OptimizerType;
import dev.nabla.dsl.Shape;

/**
 * Logistic regression on the 30 standardised breast-cancer features: one linear unit whose output is
 * the logit of P(benign), trained with binary cross-entropy on that logit (sigmoid and log loss
 * fused), Adam 0.01.
 */
@Model(input = @Shape(30), loss = Loss.BINARY_CROSS_ENTROPY)
@Optimizer(type = OptimizerType.ADAM, learningRate = 0.01)
public abstract class CancerNet {
  @Layer(units = 1) Dense logit;
}
