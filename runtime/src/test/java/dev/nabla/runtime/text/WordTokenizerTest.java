package dev.nabla.runtime.text;

import static org.junit.jupiter.api.Assertions.*;

import dev.nabla.runtime.text.WordTokenizer.Special;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordTokenizerTest {
  @TempDir Path dir;

  @Test
  void splitsWordsNumbersAndPunctuation() {
    assertEquals(List.of("Hello", ",", "world", "!", "It", "'", "s", "42", "°", "C", ".", "Ünïcödé", "…"),
        WordTokenizer.split("Hello, world! It's 42°C.\n\tÜnïcödé…", false));
    assertEquals(List.of("hello", "ünïcödé"), WordTokenizer.split("HELLO Ünïcödé", true));
    assertEquals(List.of("abc", "123", "def"), WordTokenizer.split("abc123def", false));
  }

  @Test
  void vocabularyIsUnknownSpecialsThenMostFrequent() {
    String text = "the cat sat on the mat . The cat ! a b";
    WordTokenizer t = WordTokenizer.train(text, 7, true, Special.EOS, Special.BOS);
    // counts: the 3, cat 2, then 1 each: ! . a b mat on sat (alphabetical ties)
    assertEquals(List.of("<unk>", "<bos>", "<eos>", "the", "cat", "!", "."),
        List.of(t.token(0), t.token(1), t.token(2), t.token(3), t.token(4), t.token(5), t.token(6)));
    assertEquals(7, t.vocabularySize());
    assertEquals(0, t.unknown());
    assertEquals(1, t.bos());
    assertEquals(2, t.eos());
    assertEquals(-1, t.pad());
    assertEquals(1, t.startToken());
    assertArrayEquals(new int[] {3, 4, 0, 0, 3, 0, 6}, t.encode("The cat sat on the mat."));
    WordTokenizer small = WordTokenizer.train("x y z", 100, false);
    assertEquals(4, small.vocabularySize());
    assertThrows(IllegalArgumentException.class, () -> WordTokenizer.train(text, 3, false, Special.values()));
  }

  @Test
  void decodeJoinsWithSpacesButNoneBeforePunctuation() {
    WordTokenizer t = WordTokenizer.train("hello , world ! how are you ? fine .", 100, false, Special.values());
    int[] ids = t.encode("Hello, world! How are you? Fine.");
    assertEquals("<unk>, world! <unk> are you? <unk>.", t.decode(ids));
    int[] withSpecials = new int[ids.length + 2];
    withSpecials[0] = t.bos();
    System.arraycopy(ids, 0, withSpecials, 1, ids.length);
    withSpecials[ids.length + 1] = t.eos();
    assertEquals("<unk>, world! <unk> are you? <unk>.", t.decode(withSpecials));
    assertEquals("world", t.piece(-1, t.id("world")));
    assertEquals("world", t.piece(t.bos(), t.id("world")));
    assertEquals(" world", t.piece(t.id("hello"), t.id("world")));
    assertEquals("!", t.piece(t.id("hello"), t.id("!")));
    assertEquals("", t.piece(t.id("hello"), t.pad()));
    StringBuilder streamed = new StringBuilder();
    int previous = -1;
    for (int id : withSpecials) {
      streamed.append(t.piece(previous, id));
      previous = id;
    }
    assertEquals(t.decode(withSpecials), streamed.toString());
    assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {t.vocabularySize()}));
  }

  @Test
  void lowerCaseOption() {
    WordTokenizer keep = WordTokenizer.train("The the THE", 10, false);
    assertEquals(4, keep.vocabularySize());
    WordTokenizer lower = WordTokenizer.train("The the THE", 10, true);
    assertEquals(2, lower.vocabularySize());
    assertArrayEquals(new int[] {1, 1}, lower.encode("tHe THE"));
    assertTrue(lower.lowerCase());
  }

  @Test
  void savesAndLoads() throws IOException {
    WordTokenizer t = WordTokenizer.train("Ein \"Wort\", noch ein Wort: 𝔘 \\ x", 50, false, Special.PAD);
    Path file = dir.resolve("model.vocab.json");
    t.save(file);
    assertTrue(Files.readString(file).contains("\"type\": \"word\""));
    Tokenizer loaded = Tokenizer.load(file);
    assertEquals(t, loaded);
    assertEquals("word", loaded.type());
    assertEquals(t.pad(), ((WordTokenizer) loaded).pad());
    assertEquals(t, WordTokenizer.load(file));
  }

  @Test
  void strictLoader() throws IOException {
    assertLoadFails("{\"type\":\"word\",\"lowercase\":false,\"tokens\":[\"the\"]}", "token 0 must be \"<unk>\"");
    assertLoadFails("{\"type\":\"word\",\"lowercase\":false,\"tokens\":[\"<unk>\",\"a\",\"a\"]}", "token 2 \"a\" repeats token 1");
    assertLoadFails("{\"type\":\"word\",\"lowercase\":false,\"tokens\":[\"<unk>\",\"a b\"]}", "token 1 \"a b\" is neither");
    assertLoadFails("{\"type\":\"word\",\"lowercase\":false,\"tokens\":[\"<unk>\",\"<unk>\"]}", "repeats token 0");
    assertLoadFails("{\"type\":\"word\",\"lowercase\":\"yes\",\"tokens\":[\"<unk>\"]}", "\"lowercase\" must be true or false");
    assertLoadFails("{\"type\":\"word\",\"tokens\":[\"<unk>\"]}", "missing key \"lowercase\"");
    assertLoadFails("{\"type\":\"word\",\"lowercase\":true,\"tokens\":\"<unk>\"}", "\"tokens\" must be an array of strings");
  }

  private void assertLoadFails(String json, String expected) throws IOException {
    Path file = dir.resolve("bad.vocab.json");
    Files.writeString(file, json);
    VocabularyFormatException e = assertThrows(VocabularyFormatException.class, () -> Tokenizer.load(file));
    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
