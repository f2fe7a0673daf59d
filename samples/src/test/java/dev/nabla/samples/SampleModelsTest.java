package dev.nabla.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import dev.nabla.runtime.GradientCheck;
import dev.nabla.runtime.Network;
import dev.nabla.runtime.NetworkF64;
import java.lang.management.ManagementFactory;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The sample models' generated code: gradient checks of the double variant, the float SIMD variant
 * against the double one, and no allocation in a training step or a prediction after warm-up.
 */
class SampleModelsTest {

  @Test
  void digitNetGradientsMatchCentralDifferences() {
    check(DigitNetModel.create(3), DigitNetModelF64.create(3), 400);
  }

  @Test
  void wideDigitNetGradientsMatchCentralDifferences() {
    check(WideDigitNetModel.create(3), WideDigitNetModelF64.create(3), 150);
  }

  private static void check(Network fast, NetworkF64 exact, int perTensor) {
    GradientCheck.Batch batch = GradientCheck.Batch.random(4, 784, 10, true, 5);
    double gradError = GradientCheck.maxRelativeError(exact, batch, perTensor, 9);
    assertTrue(gradError <= 1e-6, exact.name() + ": max relative gradient error " + gradError);

    GradientCheck.copyWeights(fast, exact);
    double lossExact = batch.loss(exact);
    float lossFast = batch.loss(fast);
    assertEquals(lossExact, lossFast, 1e-4 * Math.abs(lossExact), "float loss vs double");
    double gradFloat = GradientCheck.normRelativeError(fast.gradients(), exact.gradients());
    assertTrue(gradFloat <= 1e-4, exact.name() + ": float gradients vs double " + gradFloat);
  }

  @Test
  void sameSeedGivesTheSameWeightsInBothPrecisions() {
    float[] f = DigitNetModel.create(77).parameters();
    double[] d = DigitNetModelF64.create(77).parameters();
    for (int i = 0; i < f.length; i++) assertEquals((float) d[i], f[i], 0f, "parameter " + i);
  }

  @Test
  void trainingStepsAndPredictionsAllocateNothingAfterWarmUp() {
    for (Network net : new Network[] {DigitNetModel.create(1), WideDigitNetModel.create(1)}) {
      GradientCheck.Batch batch = GradientCheck.Batch.random(64, 784, 10, true, 2);
      float[] one = new float[784];
      float[] out = new float[64 * 10];
      Runnable train = () -> net.trainStep(batch.xf(), batch.labels(), 64);
      Runnable predictBatch = () -> net.predict(batch.xf(), 64, out);
      Runnable predictOne = () -> net.predict(one, 1, out);
      String[] names = {"trainStep", "predict(batch 64)", "predict(batch 1)"};
      Runnable[] calls = {train, predictBatch, predictOne};
      for (int c = 0; c < calls.length; c++) {
        Runnable r = calls[c];
        // Warm-up: the arena and kernel scratch grow once, and until C2 compiles the vector code
        // the interpreter boxes vectors; steady state must then allocate nothing.
        long bytes = -1;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (bytes != 0 && System.nanoTime() < deadline) {
          bytes = allocated(() -> {
            for (int i = 0; i < 50; i++) r.run();
            return null;
          });
        }
        assertEquals(0, bytes, net.name() + " " + names[c] + ": bytes allocated by 50 calls after warm-up");
      }
    }
  }

  private static long allocated(Supplier<?> work) {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().threadId();
    long before = threads.getThreadAllocatedBytes(id);
    work.get();
    return threads.getThreadAllocatedBytes(id) - before;
  }
}
