package dev.nabla.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.runtime.Network;
import dev.nabla.runtime.io.Checkpoint;
import dev.nabla.runtime.train.TrainerState;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a JVM in the middle of saving a checkpoint and finds the previous checkpoint intact. The
 * child ({@link #main}) saves checkpoint A, copies it aside, then turns on AtomicFiles' test pause
 * (system property {@code nabla.test.atomicFilesPauseMillis}: a sleep after the temporary file is
 * written and before it is forced and renamed) and starts saving checkpoint B; it prints
 * {@code saving} just before. The parent kills it with destroyForcibly at several delays after that
 * line, all inside the save.
 */
class CheckpointKillTest {
  static final long PAUSE_MILLIS = 5_000;
  @TempDir Path dir;

  /** The child: args[0] is the checkpoint file. */
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    Network net = CheckpointNetModel.create(11);
    float[] x = new float[8 * 12];
    int[] y = new int[8];
    for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i);
    for (int i = 0; i < y.length; i++) y[i] = i % 4;
    net.trainStep(x, y, 8);
    Checkpoint.save(net, new TrainerState(1, 0, 3), file);
    Files.copy(file, file.resolveSibling("a-copy"));
    System.out.println("saved A");
    net.trainStep(x, y, 8);
    System.setProperty("nabla.test.atomicFilesPauseMillis", Long.toString(PAUSE_MILLIS));
    System.out.println("saving");
    System.out.flush();
    Checkpoint.save(net, new TrainerState(2, 0, 3), file);
    System.out.println("saved B");
  }

  @Test
  void killMidSaveLeavesThePreviousCheckpoint() throws Exception {
    for (long delay : new long[] {0, 30, 300, 1500}) {
      Path sub = Files.createDirectory(dir.resolve("run" + delay));
      Path file = sub.resolve("model.ckpt");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process child = new ProcessBuilder(List.of(java, "--add-modules", "jdk.incubator.vector",
          "-cp", System.getProperty("java.class.path"), CheckpointKillTest.class.getName(), file.toString()))
          .redirectErrorStream(true).start();
      StringBuilder out = new StringBuilder();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          out.append(line).append('\n');
          if (line.equals("saving")) break;
        }
        assertTrue(out.toString().contains("saving"), "child output:\n" + out);
        Thread.sleep(delay);
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      } finally {
        child.destroyForcibly();
      }
      assertTrue(!out.toString().contains("saved B"), out.toString());

      // The file is still checkpoint A, byte for byte, and loads.
      assertArrayEquals(Files.readAllBytes(sub.resolve("a-copy")), Files.readAllBytes(file), "after a kill at +" + delay + " ms");
      Network fresh = CheckpointNetModel.create(99);
      assertEquals(new TrainerState(1, 0, 3), Checkpoint.load(fresh, file));
      assertEquals(1, fresh.steps());
      assertEquals(11, fresh.seed());

      // The killed save's temporary file may remain; the next save deletes it.
      Checkpoint.save(fresh, new TrainerState(1, 0, 3), file);
      try (Stream<Path> left = Files.list(sub)) {
        assertEquals(List.of(), left.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList(), "delay " + delay);
      }
    }
  }
}
