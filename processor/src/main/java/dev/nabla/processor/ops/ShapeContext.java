package dev.nabla.processor.ops;

import dev.nabla.processor.graph.Shape;
import java.util.List;

/** What an op's shape rule sees: its node's name, its inputs' names and shapes, a way to object. */
public interface ShapeContext {
  String name();

  List<String> inputNames();

  List<Shape> inputs();

  /**
   * Reports a shape mismatch on the {@code from} entry of input {@code slot}; {@code what} and
   * {@code why} complete "'name' what; why".
   */
  void mismatch(int slot, String what, String why);

  /** Reports {@code message} on the {@code from} entry of input {@code slot}. */
  void report(dev.nabla.processor.base.Message message, int slot, Object... args);

  /** Reports {@code message} on one of the layer's attribute values (or its annotation). */
  void reportAttribute(dev.nabla.processor.base.Message message, String attribute, Object... args);
}
