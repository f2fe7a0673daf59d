package dev.nabla.runtime.io;

import java.io.IOException;

/**
 * A safetensors file (or buffer) that breaks the format's rules. The message names the source, what
 * is wrong and where: a byte offset into the file or the tensor concerned.
 */
public class SafetensorsFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public SafetensorsFormatException(String message) {
    super(message);
  }

  public SafetensorsFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
