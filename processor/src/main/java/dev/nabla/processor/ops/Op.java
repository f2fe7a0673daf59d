package dev.nabla.processor.ops;

import dev.nabla.processor.graph.Shape;
import dev.nabla.processor.plan.BackwardContext;
import dev.nabla.processor.plan.ForwardContext;
import java.util.List;

/**
 * One op kind, in one place: its shape rule, its parameters and cost, its forward and backward
 * rules (as planned steps that render kernel calls), and its fusion hooks. Adding an op kind means
 * adding one implementation of this interface and the DSL type that names it.
 *
 * <p>Every op may carry an activation on its output, y = act(op(x)). The planner owns the
 * activation's backward: it folds act' into the epilogue of the last consumer that can take it
 * ({@link #foldsInputDerivative()}), or else runs one activation-backward pass, so that {@link
 * #backward} always receives the gradient with respect to the pre-activation.
 */
public interface Op {

  /** The DSL type name, for tables and messages: "Dense". */
  String kind();

  /** The output formula for the generated javadoc, with {@code x} (or x0, x1..) as inputs. */
  String formula();

  /** The activation on the op's output; NONE unless the op takes one. */
  default ActivationFn activation() {
    return ActivationFn.NONE;
  }

  /** The runtime parameter of {@link #activation()}. */
  default double activationParam() {
    return 0;
  }

  /** Whether the op reads token ids (an embedding); every other op rejects a token input. */
  default boolean readsTokens() {
    return false;
  }

  /** The output shape, or null after reporting the mismatch through the context. */
  Shape inferShape(ShapeContext context);

  default List<ParamTensor> parameters(List<Shape> inputs, Shape output) {
    return List.of();
  }

  /** Forward floating-point operations per example, counting a multiply-add as two. */
  default long flops(List<Shape> inputs, Shape output) {
    return 0;
  }

  /** Whether this op's backward to an input can apply that input's activation derivative in its epilogue. */
  default boolean foldsInputDerivative() {
    return false;
  }

  /**
   * Whether the op is the activation itself (its pre-activation is its input), so that its backward
   * handles the activation and the planner neither saves a pre-activation nor folds into it.
   */
  default boolean isActivationOnly() {
    return false;
  }

  void forward(ForwardContext c);

  /** Gradients to the inputs that need them and to the parameters; see {@link BackwardContext}. */
  void backward(BackwardContext c);
}
