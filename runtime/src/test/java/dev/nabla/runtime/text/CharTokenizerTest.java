package dev.nabla.runtime.text;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CharTokenizerTest {
  @TempDir Path dir;

  @Test
  void vocabularyIsTheSortedDistinctCodePoints() {
    CharTokenizer t = CharTokenizer.train("hello, world\n");
    assertEquals(10, t.vocabularySize()); // \n space , d e h l o r w
    assertEquals("\n", t.token(0));
    assertEquals(" ", t.token(1));
    assertEquals(",", t.token(2));
    assertEquals("w", t.token(9));
    assertEquals(t.id('e'), 4);
    assertEquals(-1, t.id('z'));
    assertEquals(t.id('\n'), t.startToken());
  }

  @Test
  void encodeDecodeRoundTripsIncludingSupplementaryCharacters() {
    String text = "naïve 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ☃\ttext\n";
    CharTokenizer t = CharTokenizer.train(text);
    int[] ids = t.encode(text);
    assertEquals(text.codePointCount(0, text.length()), ids.length);
    assertEquals(text, t.decode(ids));
    StringBuilder pieces = new StringBuilder();
    int previous = -1;
    for (int id : ids) {
      pieces.append(t.piece(previous, id));
      previous = id;
    }
    assertEquals(text, pieces.toString());
    // sorted by code point, not by UTF-16 unit: the supplementary letters come after U+2603
    assertTrue(t.codePoint(t.vocabularySize() - 1) > 0xFFFF);
    assertEquals(0x2603, t.codePoint(t.vocabularySize() - 8));
  }

  @Test
  void unknownCharacterNamesTheCharacterAndItsIndex() {
    CharTokenizer t = CharTokenizer.train("abc");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.encode("abxc"));
    assertTrue(e.getMessage().contains("'x' (U+0078)"), e.getMessage());
    assertTrue(e.getMessage().contains("index 2"), e.getMessage());
    IllegalArgumentException nl = assertThrows(IllegalArgumentException.class, () -> t.encode("a\n"));
    assertTrue(nl.getMessage().contains("U+000A at index 1"), nl.getMessage());
  }

  @Test
  void fallbackMapsUnknownCharacters() {
    CharTokenizer t = CharTokenizer.train("ab?").withFallback('?');
    assertEquals("a??b", t.decode(t.encode("aéxb")));
    assertEquals('?', t.fallback().getAsInt());
    assertThrows(IllegalArgumentException.class, () -> CharTokenizer.train("ab").withFallback('?'));
    assertThrows(IllegalArgumentException.class, () -> t.withoutFallback().encode("x"));
  }

  @Test
  void decodeRejectsIdsOutsideTheVocabulary() {
    CharTokenizer t = CharTokenizer.train("ab");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {0, 2}));
    assertTrue(e.getMessage().contains("token id 2 at position 1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CharTokenizer.train(""));
  }

  @Test
  void loneSurrogatesRoundTripThroughTheVocabularyFile() throws IOException {
    CharTokenizer t = CharTokenizer.of('a', 0xD800, 0xDC00);
    Path file = dir.resolve("lone.vocab.json");
    t.save(file);
    assertTrue(Files.readString(file).contains("\\ud800"), Files.readString(file));
    assertEquals(t, Tokenizer.load(file));
  }

  @Test
  void savesAndLoadsAtomicallyBesideTheWeights() throws IOException {
    CharTokenizer t = CharTokenizer.train("Tab\there, \"quotes\" \\ 𝔘\u0001\n").withFallback(' ');
    Path file = Tokenizer.vocabularyPath(dir.resolve("model.safetensors"));
    assertEquals(dir.resolve("model.vocab.json"), file);
    t.save(file);
    String json = Files.readString(file);
    assertTrue(json.startsWith("{\n  \"type\": \"char\""), json);
    assertTrue(json.contains("\"\\u0001\""), json);
    assertEquals(t, Tokenizer.load(file));
    assertEquals(t, CharTokenizer.load(file));
    try (var s = Files.list(dir)) {
      assertEquals(1, s.count(), "no temporary file left behind");
    }
  }

  @Test
  void strictLoaderNamesTheFileAndTheProblem() throws IOException {
    assertLoadFails("{\"type\":\"char\",\"tokens\":[\"b\",\"a\"]}", "token 1 'a' (U+0061) is out of order");
    assertLoadFails("{\"type\":\"char\",\"tokens\":[\"a\",\"a\"]}", "repeats token 0");
    assertLoadFails("{\"type\":\"char\",\"tokens\":[\"ab\"]}", "token 0 must be one character");
    assertLoadFails("{\"type\":\"char\",\"tokens\":[]}", "\"tokens\" is empty");
    assertLoadFails("{\"type\":\"char\"}", "missing key \"tokens\"");
    assertLoadFails("{\"type\":\"char\",\"tokens\":[\"a\"],\"size\":1}", "unexpected key \"size\"");
    assertLoadFails("{\"type\":\"char\",\"tokens\":[\"a\"],\"fallback\":\"b\"}", "\"fallback\" must be one character of the tokens");
    assertLoadFails("{\"type\":\"char\",\"tokens\":[\"a\", 1]}", "\"tokens\"[1] must be a string");
    assertLoadFails("{\"type\":\"bpe\",\"tokens\":[\"a\"]}", "unknown tokenizer type \"bpe\"");
    assertLoadFails("{\"tokens\":[\"a\"]}", "missing key \"type\"");
    assertLoadFails("{\"type\":\"char\",\"tokens\":[\"a\",]}", "unexpected character ']' at line 1");
    assertLoadFails("{\"type\":\"char\",\"type\":\"char\",\"tokens\":[\"a\"]}", "duplicate key \"type\"");
    assertLoadFails("{\"type\":\"char\",\n\"tokens\":[\"a\"]} x", "trailing characters after the JSON object at line 2");
    assertLoadFails("[\"a\"]", "expected a JSON object");
    assertLoadFails("", "expected a JSON object");
    Path bad = dir.resolve("latin1.vocab.json");
    Files.write(bad, "{\"type\":\"char\",\"tokens\":[\"\u00e9\"]}".getBytes(StandardCharsets.ISO_8859_1));
    VocabularyFormatException e = assertThrows(VocabularyFormatException.class, () -> Tokenizer.load(bad));
    assertTrue(e.getMessage().startsWith(bad + ": not UTF-8"), e.getMessage());
    Path word = dir.resolve("word.vocab.json");
    WordTokenizer.train("a b", 10, false).save(word);
    e = assertThrows(VocabularyFormatException.class, () -> CharTokenizer.load(word));
    assertTrue(e.getMessage().contains("not a \"char\" one"), e.getMessage());
    assertThrows(java.nio.file.NoSuchFileException.class, () -> Tokenizer.load(dir.resolve("missing.json")));
  }

  private void assertLoadFails(String json, String expected) throws IOException {
    Path file = dir.resolve("bad.vocab.json");
    Files.writeString(file, json);
    VocabularyFormatException e = assertThrows(VocabularyFormatException.class, () -> Tokenizer.load(file));
    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
