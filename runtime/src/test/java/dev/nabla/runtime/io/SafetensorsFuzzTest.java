package dev.nabla.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes the safetensors reader with Jazzer. A plain {@code mvn test} replays the committed inputs in
 * {@code src/test/resources/dev/nabla/runtime/io/SafetensorsFuzzTestInputs/readerAcceptsOrRejectsCleanly/}
 * (seeds and any crash reproducers); {@code JAZZER_FUZZ=1} fuzzes for {@code maxDuration}, adding
 * new findings there. Every input must either read, and then write back to a file that reads the
 * same, or fail with a {@link SafetensorsFormatException}: any other exception or error (an
 * OutOfMemoryError from a huge declared shape, a StackOverflowError from deep JSON) is a finding.
 */
class SafetensorsFuzzTest {

  @FuzzTest(maxDuration = "10m")
  void readerAcceptsOrRejectsCleanly(byte[] input) throws IOException {
    Safetensors.Contents c;
    try {
      c = Safetensors.read(input, "fuzz input");
    } catch (SafetensorsFormatException e) {
      assertTrue(e.getMessage().startsWith("fuzz input: "), e.getMessage());
      return;
    }
    // Accepted: the tensors must fit the input, convert if floating point, and survive a round trip.
    long bytes = 0;
    for (Safetensors.Tensor t : c.tensors().values()) {
      bytes += t.data().remaining();
      if (t.dtype().isFloatingPoint()) assertEquals(t.elements(), t.toFloats().length);
    }
    assertTrue(bytes <= input.length, "tensors hold more bytes than the input");
    List<Safetensors.Tensor> tensors = new ArrayList<>(c.tensors().values());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Safetensors.write(Channels.newChannel(out), c.metadata(), tensors);
    Safetensors.Contents again = Safetensors.read(out.toByteArray(), "rewritten");
    assertEquals(c.metadata(), again.metadata());
    assertEquals(c.tensors(), again.tensors());
  }
}
