package dev.nabla.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} command-line options, shared by the benchmark mains. */
record Args(Map<String, String> values) {

  static Args parse(String[] args) {
    // exec:exec passes ${bench.args} as one argument ("--runs 10 --threads 1", or blank): split it.
    List<String> words = new ArrayList<>();
    for (String a : args) {
      for (String w : a.trim().split("\\s+")) if (!w.isEmpty()) words.add(w);
    }
    Map<String, String> v = new HashMap<>();
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      if (!w.startsWith("--") || i + 1 >= words.size()) {
        throw new IllegalArgumentException("expected --name value, got '" + w + "'");
      }
      v.put(w.substring(2), words.get(++i));
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
