package dev.nabla.processor.plan;

import com.palantir.javapoet.CodeBlock;

/** Renders a planned step as Java statements once buffer offsets are known. */
@FunctionalInterface
public interface Renderer {
  CodeBlock render(Emit e);
}
