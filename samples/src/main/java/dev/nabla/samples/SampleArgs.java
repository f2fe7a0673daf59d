package dev.nabla.samples;

import java.nio.file.Path;

/** Command-line helpers shared by the samples' main classes. */
final class SampleArgs {
  private SampleArgs() {}

  /** Maven passes {@code -Dsample.args="..."} as one argument: split it into words. */
  static String[] words(String[] argv) {
    String all = String.join(" ", argv).trim();
    return all.isEmpty() ? new String[0] : all.split("\\s+");
  }

  /** The value after option {@code args[i - 1]}. */
  static String value(String[] args, int i) {
    if (i >= args.length) throw new IllegalArgumentException(args[i - 1] + " needs a value");
    return args[i];
  }

  /** The options of the table samples: {@code [--csv FILE] [--epochs N] [--seed S]}. */
  record Table(Path csv, int epochs, long seed) {
    static Table parse(String[] argv, String program, int defaultEpochs) {
      String[] args = words(argv);
      Path csv = null;
      int epochs = defaultEpochs;
      long seed = 42;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--csv" -> csv = Path.of(value(args, ++i));
          case "--epochs" -> epochs = Integer.parseInt(value(args, ++i));
          case "--seed" -> seed = Long.parseLong(value(args, ++i));
          case "" -> { }
          default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'; usage: " + program
              + " [--csv FILE] [--epochs N] [--seed S]");
        }
      }
      return new Table(csv, epochs, seed);
    }
  }
}
