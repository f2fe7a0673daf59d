package dev.nabla.runtime.train;

import dev.nabla.runtime.Network;
import dev.nabla.runtime.ParameterSpec;
import java.util.List;

/** A plain-Java softmax regression (or, with classifier false, linear regression) trained by SGD. */
final class SoftmaxRegression implements Network {
  private final int in;
  private final int out;
  private final boolean classifier;
  private final float lr;
  private final float[] params; // out × in weights, then out biases
  private final float[] grads;
  private float[] outputs = new float[0];
  int steps;
  float nanAtStep = -1;

  SoftmaxRegression(int in, int out, boolean classifier, float lr) {
    this.in = in;
    this.out = out;
    this.classifier = classifier;
    this.lr = lr;
    this.params = new float[out * in + out];
    this.grads = new float[params.length];
  }

  @Override public String name() { return classifier ? "TinySoftmax" : "TinyLinear"; }
  @Override public int inputSize() { return in; }
  @Override public int outputSize() { return out; }
  @Override public boolean classifier() { return classifier; }
  @Override public float[] parameters() { return params; }
  @Override public float[] gradients() { return grads; }
  @Override public List<ParameterSpec> parameterSpecs() { return List.of(); }
  @Override public float[] outputs() { return outputs; }
  @Override public int outputsOffset() { return 0; }

  private void forward(float[] x, int batch, float[] dst) {
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

  /** dLoss/dz in outputs-sized scratch, then parameter gradients; returns the mean loss. */
  private float backward(float[] x, int[] labels, float[] targets, int batch) {
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
    return loss / batch;
  }

  private float step(float[] x, int[] labels, float[] targets, int batch) {
    if (outputs.length < batch * out) outputs = new float[batch * out];
    forward(x, batch, outputs);
    float loss = backward(x, labels, targets, batch);
    for (int i = 0; i < params.length; i++) params[i] -= lr * grads[i];
    steps++;
    return steps == nanAtStep ? Float.NaN : loss;
  }

  @Override public float computeGradients(float[] x, int[] labels, int batch) { throw new UnsupportedOperationException(); }
  @Override public float computeGradients(float[] x, float[] targets, int batch) { throw new UnsupportedOperationException(); }
  @Override public float trainStep(float[] x, int[] labels, int batch) { return step(x, labels, null, batch); }
  @Override public float trainStep(float[] x, float[] targets, int batch) { return step(x, null, targets, batch); }
  @Override public void predict(float[] x, int batch, float[] dst) { forward(x, batch, dst); }
}
