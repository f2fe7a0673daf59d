package dev.nabla.processor;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The generated source of the digit recogniser, kept as a golden file so that every change to the
 * generated code shows up in review. Regenerate after an intended change with
 * {@code mvn -pl processor -am test -Dtest=GoldenFileTest -Dgolden.update=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class GoldenFileTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden/DigitNetModel.java.txt");

  @Test
  void digitNetModelMatchesTheGoldenFile() throws IOException {
    Compilation c = GeneratedModels.compile("golden.DigitNet",
        "package golden;",
        "import dev.nabla.dsl.*;",
        "/** The 784-16-16-10 digit recogniser. */",
        "@Model(input = @Shape(784), loss = Loss.SOFTMAX_CROSS_ENTROPY)",
        "@Optimizer(learningRate = 0.1, momentum = 0.9)",
        "public abstract class DigitNet {",
        "  @Layer(units = 16, activation = Activation.SIGMOID) Dense hidden1;",
        "  @Layer(units = 16, activation = Activation.SIGMOID) Dense hidden2;",
        "  @Layer(units = 10) Dense logits;",
        "}");
    JavaFileObject generated = c.generatedSourceFile("golden.DigitNetModel").orElseThrow();
    String source = generated.getCharContent(true).toString();
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(GOLDEN.getParent());
      Files.writeString(GOLDEN, source, StandardCharsets.UTF_8);
    }
    assertWithMessage("generated DigitNetModel differs from %s; if the change is intended, regenerate it "
        + "(see this test's javadoc)", GOLDEN)
        .that(source).isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
  }
}
