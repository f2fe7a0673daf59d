package dev.nabla.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nabla.runtime.GradientCheck;
import dev.nabla.runtime.Network;
import dev.nabla.runtime.NetworkF64;
import dev.nabla.runtime.text.LanguageModel;
import org.junit.jupiter.api.Test;

/**
 * Gradient checks of the transformer ops on generated models (token and positional embeddings,
 * sinusoidal encodings, layer norm, causal self-attention, cross-attention over an encoder): the
 * double variant against central differences, the float SIMD variant against the double one; and
 * the KV-cache decode path against the full forward.
 */
class TransformerGradientTest {

  @Test
  void gptGradients() {
    check("test.TinyGpt", TransformerModels.TINY_GPT,
        GradientCheck.Batch.tokens(3, new int[] {5}, new int[] {7}, 5, 7, 11));
  }

  @Test
  void encoderDecoderGradients() {
    check("test.TinySeq2Seq", TransformerModels.TINY_SEQ2SEQ,
        GradientCheck.Batch.tokens(3, new int[] {4, 5}, new int[] {6, 7}, 5, 7, 13));
  }

  private static void check(String qualifiedName, String[] source, GradientCheck.Batch data) {
    ClassLoader loader = GeneratedModels.load(qualifiedName, source);
    NetworkF64 exact = GeneratedModels.create(loader, qualifiedName + "ModelF64", 7);
    Network fast = GeneratedModels.create(loader, qualifiedName + "Model", 7);

    double gradError = GradientCheck.maxRelativeError(exact, data);
    assertWithMessage("%s: double gradients vs central differences", qualifiedName).that(gradError).isAtMost(1e-6);

    GradientCheck.copyWeights(fast, exact);
    double lossExact = data.loss(exact);
    float lossFast = data.loss(fast);
    assertWithMessage("%s: float loss vs double", qualifiedName)
        .that(Math.abs(lossFast - lossExact) / Math.abs(lossExact)).isAtMost(1e-4);
    assertWithMessage("%s: float gradients vs double", qualifiedName)
        .that(GradientCheck.normRelativeError(fast.gradients(), exact.gradients())).isAtMost(1e-4);
    assertWithMessage("%s: loss() is the training loss without a backward", qualifiedName)
        .that((double) fast.loss(data.xf(), data.labels(), data.size())).isWithin(1e-6).of(lossFast);

    double[] pe = new double[data.size() * fast.outputSize()];
    float[] pf = new float[pe.length];
    exact.predict(data.x(), data.size(), pe);
    fast.predict(data.xf(), data.size(), pf);
    assertWithMessage("%s: float predictions vs double", qualifiedName)
        .that(GradientCheck.normRelativeError(pf, pe)).isAtMost(1e-4);
  }

  @Test
  void decodingWithTheKvCacheMatchesTheFullForward() {
    ClassLoader loader = GeneratedModels.load("test.TinyGpt", TransformerModels.TINY_GPT);
    Network net = GeneratedModels.create(loader, "test.TinyGptModel", 5);
    GradientCheck.Batch data = GradientCheck.Batch.tokens(4, new int[] {5}, new int[] {7}, 5, 7, 3);
    for (int i = 0; i < 3; i++) net.trainStep(data.xf(), data.labels(), data.size()); // weights off their init

    LanguageModel lm = (LanguageModel) net;
    assertEquals(5, lm.contextLength());
    assertEquals(7, lm.vocabularySize());
    float[] sequence = java.util.Arrays.copyOf(data.xf(), 5);
    float[] probs = new float[5 * 7];
    net.predict(sequence, 1, probs);
    float[] logits = new float[7];
    for (int round = 0; round < 2; round++) {
      lm.resetCache();
      for (int t = 0; t < 5; t++) {
        assertEquals(t, lm.cachedTokens());
        lm.decode((int) sequence[t], logits);
        float[] p = softmax(logits);
        for (int v = 0; v < 7; v++) {
          assertWithMessage("position %s token %s", t, v).that((double) p[v]).isWithin(1e-5).of(probs[t * 7 + v]);
        }
      }
    }
    assertThrows(IllegalStateException.class, () -> lm.decode(0, logits));
    lm.resetCache();
    assertThrows(IllegalArgumentException.class, () -> lm.decode(7, logits));
    assertThrows(IllegalArgumentException.class, () -> lm.decode(1, new float[6]));
  }

  @Test
  void aTokenOutsideTheVocabularyIsRejectedWithItsPlace() {
    ClassLoader loader = GeneratedModels.load("test.TinyGpt", TransformerModels.TINY_GPT);
    Network net = GeneratedModels.create(loader, "test.TinyGptModel", 5);
    float[] x = {1, 2, 3, 4, 5, 1, 2, 9, 4, 5};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> net.predict(x, 2, new float[2 * 35]));
    assertWithMessage("message").that(e.getMessage()).contains("9");
  }

  private static float[] softmax(float[] z) {
    double max = Double.NEGATIVE_INFINITY, sum = 0;
    for (float v : z) max = Math.max(max, v);
    float[] p = new float[z.length];
    for (int i = 0; i < z.length; i++) sum += Math.exp(z[i] - max);
    for (int i = 0; i < z.length; i++) p[i] = (float) (Math.exp(z[i] - max) / sum);
    return p;
  }
}
