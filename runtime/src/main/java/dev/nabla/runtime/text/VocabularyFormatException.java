package dev.nabla.runtime.text;

import java.io.IOException;

/**
 * A vocabulary file ({@code *.vocab.json}) that cannot be read as a tokenizer: malformed JSON, a
 * missing or unexpected key, a token of the wrong kind, a duplicate. The message names the file and
 * what is wrong (with a character position for a JSON syntax error, a token index otherwise).
 */
public class VocabularyFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public VocabularyFormatException(String message) {
    super(message);
  }

  public VocabularyFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
