package dev.nabla.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.runtime.Network;
import dev.nabla.runtime.data.Dataset;
import dev.nabla.runtime.io.Checkpoint;
import dev.nabla.runtime.io.Safetensors;
import dev.nabla.runtime.io.WeightsMismatchException;
import dev.nabla.runtime.train.Fit;
import dev.nabla.runtime.train.Trainer;
import dev.nabla.runtime.train.TrainerState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run resumed from a checkpoint reproduces the uninterrupted run bit for bit. */
class CheckpointTest {
  @TempDir Path dir;

  static Dataset data(int n) {
    Random r = new Random(42);
    float[] x = new float[n * 12];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 12; j++) x[i * 12 + j] = (float) r.nextGaussian();
      y[i] = (x[i * 12] > 0 ? 1 : 0) + (x[i * 12 + 1] > 0 ? 2 : 0);
    }
    return Dataset.ofLabels(x, 12, y, 4);
  }

  /** Trains (or resumes) and records every step's loss. */
  static List<Float> recording(Network net, Dataset train, Fit fit, boolean resume, Path ckpt) {
    List<Float> losses = new ArrayList<>();
    Fit f = fit.onStep((epoch, batch, loss) -> losses.add(loss));
    if (resume) Trainer.resume(net, train, f, ckpt);
    else Trainer.fit(net, train, f);
    return losses;
  }

  @Test
  void resumedRunMatchesUninterruptedRun() throws Exception {
    check(CheckpointNetModel::create);
  }

  @Test
  void resumedNadamRunMatchesUninterruptedRun() throws Exception {
    check(CheckpointNadamNetModel::create);
  }

  private void check(LongFunction<Network> create) throws Exception {
    Dataset train = data(150);
    Fit fit = Fit.epochs(4).batch(16).shuffleSeed(99).inputNoise(0.05).quiet();
    Network full = create.apply(5);
    List<Float> all = recording(full, train, fit, false, null);
    int perEpoch = (150 + 15) / 16;
    assertEquals(4 * perEpoch, all.size());

    Path ckpt = dir.resolve("run.ckpt.safetensors");
    Network first = create.apply(5);
    List<Float> firstHalf = recording(first, train, Fit.epochs(2).batch(16).shuffleSeed(99).inputNoise(0.05).quiet()
        .checkpointEvery(1, ckpt), false, null);
    assertEquals(all.subList(0, 2 * perEpoch), firstHalf);
    assertEquals(new TrainerState(2, 0, 99), Checkpoint.trainerState(ckpt));

    Network fresh = create.apply(123456);
    assertNotEquals(full.parameters()[0], fresh.parameters()[0]);
    List<Float> resumed = recording(fresh, train, fit, true, ckpt);
    assertEquals(2 * perEpoch, resumed.size());
    for (int i = 0; i < resumed.size(); i++) {
      assertEquals(all.get(2 * perEpoch + i), resumed.get(i), 0.0, "loss of step " + (2 * perEpoch + i));
    }
    assertArrayEquals(full.parameters(), fresh.parameters(), 0f);
    assertEquals(full.steps(), fresh.steps());
    assertEquals(full.seed(), fresh.seed());
    for (var e : full.trainingState().entrySet()) {
      assertArrayEquals(e.getValue(), fresh.trainingState().get(e.getKey()), 0f, e.getKey());
    }
    assertEquals(full.trainingScalars(), fresh.trainingScalars());
  }

  @Test
  void fileLayoutAndValidation() throws Exception {
    Network net = CheckpointNetModel.create(1);
    net.trainStep(new float[2 * 12], new int[] {1, 2}, 2);
    Path ckpt = dir.resolve("c.safetensors");
    Checkpoint.save(net, new TrainerState(3, 0, 8), ckpt);
    var contents = Safetensors.read(ckpt);
    assertTrue(contents.tensors().containsKey("hidden.weight"));
    assertTrue(contents.tensors().containsKey("optimizer.firstMoment.hidden.weight"), contents.tensors().keySet().toString());
    assertTrue(contents.tensors().containsKey("optimizer.secondMoment.logits.bias"));
    assertEquals("1", contents.metadata().get("nabla.steps"));
    assertEquals(CheckpointNetModel.class.getName(), contents.metadata().get("nabla.model"));

    // Another model class: refused, nothing changed.
    Network other = CheckpointNadamNetModel.create(2);
    float[] before = other.parameters().clone();
    var e = assertThrows(WeightsMismatchException.class, () -> Checkpoint.load(other, ckpt));
    assertTrue(e.getMessage().contains(CheckpointNetModel.class.getName()), e.getMessage());
    assertArrayEquals(before, other.parameters(), 0f);

    // A weights-only file is not a checkpoint.
    Path weights = dir.resolve("w.safetensors");
    net.save(weights);
    assertThrows(WeightsMismatchException.class, () -> Checkpoint.load(CheckpointNetModel.create(1), weights));

    // A fit with another shuffle seed cannot resume it.
    assertThrows(IllegalArgumentException.class,
        () -> Trainer.resume(CheckpointNetModel.create(1), data(20), Fit.epochs(4).shuffleSeed(9).quiet(), ckpt));
  }

  @Test
  void staleTempFilesAreDeletedByTheNextSave() throws Exception {
    Path ckpt = dir.resolve("c.safetensors");
    Path stale = dir.resolve(".c.safetensors.00ff12ab.tmp");
    Files.write(stale, new byte[] {1, 2, 3});
    Path unrelated = dir.resolve(".other.safetensors.00ff12ab.tmp");
    Files.write(unrelated, new byte[] {1});
    Checkpoint.save(CheckpointNetModel.create(1), new TrainerState(0, 0, 0), ckpt);
    assertTrue(Files.notExists(stale));
    assertTrue(Files.exists(unrelated));
  }
}
