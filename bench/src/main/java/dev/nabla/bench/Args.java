package dev.nabla.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} command-line options, shared by the benchmark mains. */
record Args(Map<String, String> values) {

  static Args parse(String[] args) {
    Map<String, String> v = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      // exec:exec passes an empty ${bench.args} as one blank argument.
      if (a.isBlank()) continue;
      if (!a.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value, got '" + a + "'");
      }
      v.put(a.substring(2), args[++i]);
    }
    return new Args(v);
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  String string(String name, String def) {
    return values.getOrDefault(name, def);
  }

  int integer(String name, int def) {
    return has(name) ? Integer.parseInt(values.get(name)) : def;
  }

  List<String> list(String name, String def) {
    return List.of(string(name, def).split(","));
  }
}
