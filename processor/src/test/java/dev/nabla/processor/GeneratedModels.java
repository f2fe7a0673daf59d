package dev.nabla.processor;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import javax.tools.JavaFileObject;

/**
 * Compiles model declarations with the processor and loads the generated classes, so tests can
 * run the generated code itself.
 */
final class GeneratedModels {
  private GeneratedModels() {}

  static Compilation compile(String qualifiedName, String... lines) {
    return Compiler.javac().withProcessors(new NablaProcessor())
        .compile(JavaFileObjects.forSourceLines(qualifiedName, lines));
  }

  /** Compiles, asserts success, and returns a loader for the classes javac wrote. */
  static ClassLoader load(String qualifiedName, String... lines) {
    Compilation c = compile(qualifiedName, lines);
    assertWithMessage("compilation of %s: %s", qualifiedName, c.diagnostics())
        .that(c.status()).isEqualTo(Compilation.Status.SUCCESS);
    Map<String, byte[]> classes = new HashMap<>();
    for (JavaFileObject f : c.generatedFiles()) {
      if (f.getKind() != JavaFileObject.Kind.CLASS) continue;
      String path = f.toUri().getPath();
      String name = path.substring(path.indexOf("CLASS_OUTPUT/") + "CLASS_OUTPUT/".length(),
          path.length() - ".class".length()).replace('/', '.');
      try (InputStream in = f.openInputStream()) {
        classes.put(name, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new ClassLoader(GeneratedModels.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] b = classes.get(name);
        if (b == null) throw new ClassNotFoundException(name);
        return defineClass(name, b, 0, b.length);
      }
    };
  }

  /** {@code Model.create(seed)} of a generated class. */
  @SuppressWarnings("unchecked")
  static <T> T create(ClassLoader loader, String generatedName, long seed) {
    try {
      return (T) loader.loadClass(generatedName).getMethod("create", long.class).invoke(null, seed);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot create " + generatedName, e);
    }
  }
}
