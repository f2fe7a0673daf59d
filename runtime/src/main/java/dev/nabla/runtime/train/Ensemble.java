package dev.nabla.runtime.train;

import dev.nabla.runtime.Network;
import dev.nabla.runtime.data.Dataset;
import java.util.List;

/**
 * Several trained networks of the same input and output sizes whose predictions are averaged
 * (the mean of the class probabilities for classifiers, of the outputs for regressions). Like a
 * network, an ensemble is not thread-safe; after the first call at a given batch size,
 * {@link #predict(float[], int, float[])} allocates nothing.
 */
public final class Ensemble {
  private final Network[] members;
  private final int inputSize;
  private final int outputSize;
  private final boolean classifier;
  private float[] scratch = new float[0];

  /** An ensemble of these networks (at least one; all with the same sizes and kind). */
  public Ensemble(List<? extends Network> members) {
    if (members == null || members.isEmpty()) throw new IllegalArgumentException("an ensemble needs at least one network");
    this.members = members.toArray(new Network[0]);
    Network first = this.members[0];
    inputSize = first.inputSize();
    outputSize = first.outputSize();
    classifier = first.classifier();
    for (Network m : this.members) {
      if (m.inputSize() != inputSize || m.outputSize() != outputSize || m.classifier() != classifier) {
        throw new IllegalArgumentException("network " + m.name() + " (" + m.inputSize() + " → " + m.outputSize()
            + (m.classifier() ? ", classifier" : ", regression") + ") does not match " + first.name() + " ("
            + inputSize + " → " + outputSize + (classifier ? ", classifier" : ", regression") + ")");
      }
    }
  }

  public static Ensemble of(Network... members) {
    return new Ensemble(List.of(members));
  }

  public int size() {
    return members.length;
  }

  public int inputSize() {
    return inputSize;
  }

  public int outputSize() {
    return outputSize;
  }

  public boolean classifier() {
    return classifier;
  }

  /** Writes {@code batch × outputSize()} averaged outputs of the members to {@code out}. */
  public void predict(float[] x, int batch, float[] out) {
    int n = batch * outputSize;
    if (batch < 0 || (long) batch * inputSize > x.length || out.length < n) {
      throw new IllegalArgumentException("batch " + batch + " needs " + (long) batch * inputSize + " inputs and " + n
          + " outputs; got " + x.length + " and " + out.length);
    }
    if (scratch.length < n) scratch = new float[n];
    members[0].predict(x, batch, out);
    for (int k = 1; k < members.length; k++) {
      members[k].predict(x, batch, scratch);
      for (int i = 0; i < n; i++) out[i] += scratch[i];
    }
    float inv = 1f / members.length;
    for (int i = 0; i < n; i++) out[i] *= inv;
  }

  /** The averaged outputs for one example. */
  public float[] predict(float[] x) {
    float[] out = new float[outputSize];
    predict(x, 1, out);
    return out;
  }

  /** The fraction of {@code data}'s examples whose argmax averaged probability is the label. */
  public double accuracy(Dataset data) {
    if (!classifier) throw new IllegalArgumentException("accuracy needs classifiers; this ensemble is of regressions");
    if (!data.isClassification() || data.featureSize() != inputSize || data.classes() != outputSize) {
      throw new IllegalArgumentException(data + " does not match the ensemble (" + inputSize + " → " + outputSize + " classes)");
    }
    int n = data.size();
    if (n == 0) return Double.NaN;
    int batch = Math.min(Trainer.EVAL_BATCH, n);
    float[] x = new float[batch * inputSize];
    float[] out = new float[batch * outputSize];
    int[] labels = new int[batch];
    int[] order = new int[n];
    for (int i = 0; i < n; i++) order[i] = i;
    long correct = 0;
    for (int from = 0; from < n; from += batch) {
      int count = Math.min(batch, n - from);
      data.copyBatch(order, from, count, x, labels);
      predict(x, count, out);
      for (int i = 0; i < count; i++) if (Trainer.argmax(out, i * outputSize, outputSize) == labels[i]) correct++;
    }
    return (double) correct / n;
  }
}
