package dev.nabla.runtime.text;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Turns text into token ids in {@code [0, vocabularySize())} and back. A tokenizer is saved as a
 * small JSON vocabulary file beside the model's weights ({@link #vocabularyPath}), and
 * {@link #load} reads either kind back by its {@code "type"}: {@code "char"} for
 * {@link CharTokenizer}, {@code "word"} for {@link WordTokenizer}.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface Tokenizer {

  /** The {@code "type"} written in the vocabulary file. */
  String type();

  /** The number of token ids. */
  int vocabularySize();

  /** The ids of {@code text}'s tokens. */
  int[] encode(String text);

  /** The text of {@code ids}: the concatenation of each token's {@link #piece}. */
  String decode(int[] ids);

  /**
   * The text token {@code token} adds when it follows token {@code previous} ({@code -1} when it
   * is the first): what streaming generation prints for each new token. Concatenating the pieces of
   * a sequence gives its {@link #decode}. Allocates nothing.
   */
  String piece(int previous, int token);

  /** The token itself, as stored in the vocabulary file (for a word tokenizer, without spacing). */
  String token(int id);

  /**
   * The token that starts a text when a generation has no prompt, or {@code -1} if there is none:
   * {@code <bos>} for a word tokenizer that has it, the newline for a character tokenizer that
   * has one (records joined by {@link TextCorpus#join} follow a newline).
   */
  default int startToken() {
    return -1;
  }

  /** Writes the vocabulary file atomically (see {@link #vocabularyPath}). */
  void save(Path file) throws IOException;

  /**
   * Reads a vocabulary file written by {@link #save} of either tokenizer. Throws
   * {@link VocabularyFormatException} naming the file and what is wrong if it is not a valid one.
   */
  static Tokenizer load(Path file) throws IOException {
    Map<String, Object> map = VocabularyFile.read(file);
    Object type = map.get("type");
    if ("char".equals(type)) return CharTokenizer.fromMap(map, file.toString());
    if ("word".equals(type)) return WordTokenizer.fromMap(map, file.toString());
    if (type == null) throw new VocabularyFormatException(file + ": missing key \"type\" (\"char\" or \"word\")");
    throw new VocabularyFormatException(file + ": unknown tokenizer type " + (type instanceof String t
        ? "\"" + t + "\"" : String.valueOf(type)) + " (expected \"char\" or \"word\")");
  }

  /**
   * The vocabulary file beside a weights file: {@code model.safetensors} → {@code model.vocab.json}
   * (the last extension, if any, replaced).
   */
  static Path vocabularyPath(Path weights) {
    String name = weights.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    return weights.resolveSibling(stem + ".vocab.json");
  }
}
