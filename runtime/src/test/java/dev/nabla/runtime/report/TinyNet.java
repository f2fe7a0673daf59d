package dev.nabla.runtime.report;

import dev.nabla.runtime.Network;
import dev.nabla.runtime.ParameterSpec;
import java.util.List;

/**
 * A one-layer softmax classifier (or linear regression) in plain Java, trained by SGD, whose
 * parameters are described as a {@code dense.weight} (out, in) and {@code dense.bias} (out) tensor.
 */
final class TinyNet implements Network {
  private final String name;
  private final int in;
  private final int out;
  private final boolean classifier;
  private final String weightName;
  private final float[] params;
  private final float[] grads;
  private float[] outputs = new float[0];

  TinyNet(String name, int in, int out, boolean classifier, String weightName) {
    this.name = name;
    this.in = in;
    this.out = out;
    this.classifier = classifier;
    this.weightName = weightName;
    this.params = new float[out * in + out];
    this.grads = new float[params.length];
    java.util.Random r = new java.util.Random(7);
    for (int i = 0; i < out * in; i++) params[i] = (float) (r.nextGaussian() * 0.1);
  }

  @Override public String name() { return name; }
  @Override public int inputSize() { return in; }
  @Override public int outputSize() { return out; }
  @Override public boolean classifier() { return classifier; }
  @Override public float[] parameters() { return params; }
  @Override public float[] gradients() { return grads; }
  @Override public float[] outputs() { return outputs; }
  @Override public int outputsOffset() { return 0; }

  @Override
  public List<ParameterSpec> parameterSpecs() {
    return List.of(new ParameterSpec(weightName, new int[] {out, in}, 0),
        new ParameterSpec("dense.bias", new int[] {out}, out * in));
  }

  @Override
  public void predict(float[] x, int batch, float[] dst) {
    for (int b = 0; b < batch; b++) {
      float max = Float.NEGATIVE_INFINITY;
      for (int o = 0; o < out; o++) {
        float z = params[out * in + o];
        for (int i = 0; i < in; i++) z += params[o * in + i] * x[b * in + i];
        dst[b * out + o] = z;
        max = Math.max(max, z);
      }
      if (!classifier) continue;
      float sum = 0;
      for (int o = 0; o < out; o++) sum += dst[b * out + o] = (float) Math.exp(dst[b * out + o] - max);
      for (int o = 0; o < out; o++) dst[b * out + o] /= sum;
    }
  }

  private float step(float[] x, int[] labels, float[] targets, int batch) {
    if (outputs.length < batch * out) outputs = new float[batch * out];
    predict(x, batch, outputs);
    java.util.Arrays.fill(grads, 0);
    float loss = 0;
    for (int b = 0; b < batch; b++) {
      for (int o = 0; o < out; o++) {
        float p = outputs[b * out + o];
        float d;
        if (classifier) {
          d = p - (labels[b] == o ? 1 : 0);
          if (labels[b] == o) loss -= (float) Math.log(Math.max(p, 1e-12f));
        } else {
          d = p - targets[b * out + o];
          loss += d * d / out;
          d = 2 * d / out;
        }
        for (int i = 0; i < in; i++) grads[o * in + i] += d * x[b * in + i] / batch;
        grads[out * in + o] += d / batch;
      }
    }
    for (int i = 0; i < params.length; i++) params[i] -= 0.1f * grads[i];
    return loss / batch;
  }

  @Override public float computeGradients(float[] x, int[] labels, int batch) { throw new UnsupportedOperationException(); }
  @Override public float computeGradients(float[] x, float[] targets, int batch) { throw new UnsupportedOperationException(); }
  @Override public float trainStep(float[] x, int[] labels, int batch) { return step(x, labels, null, batch); }
  @Override public float trainStep(float[] x, float[] targets, int batch) { return step(x, null, targets, batch); }
}
