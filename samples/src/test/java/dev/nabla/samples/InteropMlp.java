package dev.nabla.samples;

import dev.nabla.dsl.Activation;
import dev.nabla.dsl.Dense;
import dev.nabla.dsl.Layer;
import dev.nabla.dsl.Loss;
import dev.nabla.dsl.Model;
import dev.nabla.dsl.Precision;
import dev.nabla.dsl.Shape;

/**
 * The 6-5-3 MLP of runtime/src/test/resources/interop/mlp_interop.py: torch's {@code hidden1 =
 * Linear(6, 5)}, tanh, {@code logits = Linear(5, 3)}; MSE, so predict() returns the logits.
 */
@Model(input = @Shape(6), loss = Loss.MSE, precision = {Precision.F32, Precision.F64})
abstract class InteropMlp {
  @Layer(units = 5, activation = Activation.TANH) Dense hidden1;
  @Layer(units = 3) Dense logits;
}
