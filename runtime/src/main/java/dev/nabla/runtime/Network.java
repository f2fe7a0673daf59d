package dev.nabla.runtime;

import dev.nabla.runtime.train.Fit;
import dev.nabla.runtime.train.History;
import dev.nabla.runtime.train.Trainer;
import dev.nabla.runtime.data.Dataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A generated float model ({@code <Name>Model}). Every method that takes a batch reads
 * {@code batch × inputSize()} floats of row-major examples. After the first call at a given batch
 * size, {@code trainStep}, {@code computeGradients} and {@code predict(x, batch, out)} allocate
 * nothing. A model is not thread-safe: use one per thread.
 */
public interface Network {

  /** The declaring class's simple name. */
  String name();

  /**
   * Turns the divergence check on or off (off by default). When on, each training step checks every
   * layer's output and gradient, in the order the step computes them, and the loss, right after they
   * are written, and throws {@link DivergenceException} naming the step, the first layer holding NaN
   * or Inf and whether its output or its gradient does; the parameters are then not updated.
   */
  default void setDivergenceCheck(boolean on) {
    throw new UnsupportedOperationException(name() + " has no divergence check");
  }

  /** Features per example. */
  int inputSize();

  /** Outputs per example (classes, for a softmax cross-entropy model). */
  int outputSize();

  /** Whether the loss is softmax cross-entropy (trained with int class labels). */
  boolean classifier();

  /**
   * The flat parameter array (all weights and biases), live; {@link #parameterSpecs()} maps it.
   * Calling this tells the model its weights may change: predictions keep packed copies of the
   * weights between optimiser steps, so code that writes into the array after a prediction must
   * fetch it again with this method before (or while) writing.
   */
  float[] parameters();

  /** Gradients of the last {@link #computeGradients} or {@link #trainStep}, parallel to {@link #parameters()}. */
  float[] gradients();

  /** The named tensors inside {@link #parameters()}, in declaration order. */
  List<ParameterSpec> parameterSpecs();

  /** Forward, loss and backward on one batch with class labels; leaves the gradients, updates nothing. Returns the mean loss. */
  float computeGradients(float[] x, int[] labels, int batch);

  /** Forward, loss and backward on one batch with real-valued targets (batch × outputSize()). */
  float computeGradients(float[] x, float[] targets, int batch);

  /** One optimiser step on a batch with class labels; returns the mean loss before the update. */
  float trainStep(float[] x, int[] labels, int batch);

  /** One optimiser step on a batch with real-valued targets; returns the mean loss before the update. */
  float trainStep(float[] x, float[] targets, int batch);

  /**
   * Inference: writes batch × outputSize() outputs (class probabilities for a classifier) to out.
   * Dropout is off.
   */
  void predict(float[] x, int batch, float[] out);

  /**
   * A classifier's mean loss on a batch at inference (dropout off), with no backward pass: the dev
   * loss of a language model. One label per example, or one per position of a sequence output.
   */
  default float loss(float[] x, int[] labels, int batch) {
    throw new UnsupportedOperationException(name() + " is not trained with int labels");
  }

  /** Inference on one example; allocates only the returned array. */
  default float[] predict(float[] x) {
    float[] out = new float[outputSize()];
    predict(x, 1, out);
    return out;
  }

  /**
   * The outputs of the last training forward pass (probabilities for a classifier), rows of
   * outputSize() starting at {@link #outputsOffset()}; valid until the next call on this model.
   */
  float[] outputs();

  int outputsOffset();

  /** Trains on a dataset with a progress bar and per-epoch loss and accuracy. */
  default History fit(Dataset train, Fit fit) {
    return Trainer.fit(this, train, fit);
  }

  /**
   * Saves the parameters as safetensors with PyTorch's names and shapes, atomically: see
   * {@link dev.nabla.runtime.io.Weights#save(Network, Path)}.
   */
  default void save(Path path) throws IOException {
    dev.nabla.runtime.io.Weights.save(this, path);
  }

  /**
   * Loads parameters saved by {@link #save} or by PyTorch's safetensors; throws, changing nothing,
   * if a tensor is missing, unexpected or of another shape: see
   * {@link dev.nabla.runtime.io.Weights#load(Network, Path)}.
   */
  default void load(Path path) throws IOException {
    dev.nabla.runtime.io.Weights.load(this, path);
  }

  /** The seed of the weights and of every dropout mask (with {@link #steps()}). */
  default long seed() {
    throw new UnsupportedOperationException(name() + " has no training state");
  }

  /** Optimiser steps taken so far; drives the learning-rate schedule and the dropout masks. */
  default long steps() {
    throw new UnsupportedOperationException(name() + " has no training state");
  }

  /**
   * Sets the seed and the step counter, as a checkpoint recorded them, so that the next step draws
   * the dropout masks and learning rate an uninterrupted run would.
   */
  default void restoreTrainingPosition(long seed, long steps) {
    throw new UnsupportedOperationException(name() + " has no training state");
  }

  /**
   * The optimiser's state buffers by field name ({@code velocity}, {@code firstMoment}, ...), each
   * the live array, parallel to {@link #parameters()}; empty for plain SGD.
   */
  default java.util.Map<String, float[]> trainingState() {
    return java.util.Map.of();
  }

  /** The optimiser's scalar state by name ({@code muProduct} for NAdam); usually empty. */
  default java.util.Map<String, Double> trainingScalars() {
    return java.util.Map.of();
  }

  /** Sets one of {@link #trainingScalars()}; throws IllegalArgumentException for an unknown name. */
  default void restoreTrainingScalar(String name, double value) {
    throw new IllegalArgumentException(name() + " has no training scalar " + name);
  }

  /**
   * The learning rate the next optimiser step will use (its schedule evaluated at the current
   * step); NaN for a network that does not know it.
   */
  default double learningRate() {
    return Double.NaN;
  }
}
