package dev.nabla.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.runtime.GradientCheck;
import dev.nabla.runtime.kernel.Kernels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A JVM started without {@code --add-modules jdk.incubator.vector} still loads and trains the
 * generated model, on the scalar kernels, after a one-line hint.
 */
class ScalarFallbackTest {

  /** Runs in the child JVM: a few training steps on a fixed batch; prints the kernels and the losses. */
  public static void main(String[] args) {
    DigitNetModel net = DigitNetModel.create(1);
    GradientCheck.Batch batch = GradientCheck.Batch.random(32, 784, 10, true, 3);
    float first = net.trainStep(batch.xf(), batch.labels(), 32);
    float last = first;
    for (int i = 0; i < 50; i++) last = net.trainStep(batch.xf(), batch.labels(), 32);
    System.out.println(Kernels.describe());
    System.out.println("loss " + first + " -> " + last);
  }

  @Test
  void trainsOnScalarKernelsWithAHintWhenTheVectorModuleIsMissing() throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        ScalarFallbackTest.class.getName())).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM finished");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "exit status; stderr: " + err);
    List<String> hints = err.lines().filter(l -> l.startsWith("nabla:")).toList();
    assertEquals(List.of("nabla: jdk.incubator.vector is not enabled; using scalar kernels "
        + "(run java with --add-modules jdk.incubator.vector for SIMD)"), hints);
    assertTrue(out.contains("f32: scalar"), out);
    String[] losses = out.lines().filter(l -> l.startsWith("loss ")).findFirst().orElseThrow()
        .substring(5).split(" -> ");
    assertTrue(Float.parseFloat(losses[1]) < Float.parseFloat(losses[0]) / 2, "loss falls: " + out);
  }
}
