package dev.nabla.runtime.io;

import dev.nabla.runtime.Network;
import dev.nabla.runtime.NetworkF64;
import dev.nabla.runtime.ParameterSpec;
import java.util.List;

/** Parameter holders with the specs of a generated model and nothing else, for the weights tests. */
final class StubNets {
  private StubNets() {}

  /** The specs of a 6-5-3 MLP named hidden1 and logits, as the processor generates them. */
  static final List<ParameterSpec> MLP = List.of(
      new ParameterSpec("hidden1.weight", new int[] {5, 6}, 0),
      new ParameterSpec("hidden1.bias", new int[] {5}, 30),
      new ParameterSpec("logits.weight", new int[] {3, 5}, 35),
      new ParameterSpec("logits.bias", new int[] {3}, 50));

  static final int MLP_SIZE = 53;

  /** Element j of the t-th tensor, as interop/mlp_interop.py sets it: an exact multiple of 1/16. */
  static double fixedValue(int t, int j) {
    return ((j * 7 + t * 5) % 23 - 11) / 16.0;
  }

  static float[] fixedFloats(List<ParameterSpec> specs, int size) {
    float[] p = new float[size];
    for (int t = 0; t < specs.size(); t++) {
      ParameterSpec s = specs.get(t);
      for (int j = 0; j < s.size(); j++) p[s.offset() + j] = (float) fixedValue(t, j);
    }
    return p;
  }

  static double[] fixedDoubles(List<ParameterSpec> specs, int size) {
    double[] p = new double[size];
    for (int t = 0; t < specs.size(); t++) {
      ParameterSpec s = specs.get(t);
      for (int j = 0; j < s.size(); j++) p[s.offset() + j] = fixedValue(t, j);
    }
    return p;
  }

  static final class F32 implements Network {
    final List<ParameterSpec> specs;
    final float[] params;

    F32(List<ParameterSpec> specs, float[] params) {
      this.specs = specs;
      this.params = params;
    }

    @Override public String name() { return "Stub"; }
    @Override public int inputSize() { return 0; }
    @Override public int outputSize() { return 0; }
    @Override public boolean classifier() { return false; }
    @Override public float[] parameters() { return params; }
    @Override public float[] gradients() { throw new UnsupportedOperationException(); }
    @Override public List<ParameterSpec> parameterSpecs() { return specs; }
    @Override public float computeGradients(float[] x, int[] labels, int batch) { throw new UnsupportedOperationException(); }
    @Override public float computeGradients(float[] x, float[] targets, int batch) { throw new UnsupportedOperationException(); }
    @Override public float trainStep(float[] x, int[] labels, int batch) { throw new UnsupportedOperationException(); }
    @Override public float trainStep(float[] x, float[] targets, int batch) { throw new UnsupportedOperationException(); }
    @Override public void predict(float[] x, int batch, float[] out) { throw new UnsupportedOperationException(); }
    @Override public float[] outputs() { throw new UnsupportedOperationException(); }
    @Override public int outputsOffset() { return 0; }
  }

  static final class F64 implements NetworkF64 {
    final List<ParameterSpec> specs;
    final double[] params;

    F64(List<ParameterSpec> specs, double[] params) {
      this.specs = specs;
      this.params = params;
    }

    @Override public String name() { return "Stub"; }
    @Override public int inputSize() { return 0; }
    @Override public int outputSize() { return 0; }
    @Override public boolean classifier() { return false; }
    @Override public double[] parameters() { return params; }
    @Override public double[] gradients() { throw new UnsupportedOperationException(); }
    @Override public List<ParameterSpec> parameterSpecs() { return specs; }
    @Override public double computeGradients(double[] x, int[] labels, int batch) { throw new UnsupportedOperationException(); }
    @Override public double computeGradients(double[] x, double[] targets, int batch) { throw new UnsupportedOperationException(); }
    @Override public double trainStep(double[] x, int[] labels, int batch) { throw new UnsupportedOperationException(); }
    @Override public double trainStep(double[] x, double[] targets, int batch) { throw new UnsupportedOperationException(); }
    @Override public void predict(double[] x, int batch, double[] out) { throw new UnsupportedOperationException(); }
    @Override public double[] outputs() { throw new UnsupportedOperationException(); }
    @Override public int outputsOffset() { return 0; }
  }
}
