package dev.nabla.samples;

import dev.nabla.dsl.Activation;
import dev.nabla.dsl.Dense;
import dev.nabla.dsl.Dropout;
import dev.nabla.dsl.Layer;
import dev.nabla.dsl.Loss;
import dev.nabla.dsl.Model;
import dev.nabla.dsl.Optimizer;
import dev.nabla.dsl.OptimizerType;
import dev.nabla.dsl.Precision;
import dev.nabla.dsl.Schedule;
import dev.nabla.dsl.ScheduleType;
import dev.nabla.dsl.Shape;

/**
 * A small classifier whose every bit of training state matters for resuming: dropout (masks drawn
 * from seed and step), Adam (two moment buffers, bias correction by step) and a step schedule.
 */
@Model(input = @Shape(12), loss = Loss.SOFTMAX_CROSS_ENTROPY, precision = {Precision.F32, Precision.F64})
@Optimizer(type = OptimizerType.ADAM, learningRate = 0.01,
    schedule = @Schedule(type = ScheduleType.STEP, stepSize = 7, gamma = 0.7))
abstract class CheckpointNet {
  @Layer(units = 16, activation = Activation.RELU) Dense hidden;
  @Layer(rate = 0.25) Dropout drop;
  @Layer(units = 4) Dense logits;
}
