package dev.nabla.processor.graph;

import dev.nabla.processor.base.Message;
import dev.nabla.processor.base.Report;
import dev.nabla.processor.ops.Op;
import dev.nabla.processor.ops.Ops;
import dev.nabla.processor.validation.LayerDecl;
import dev.nabla.processor.validation.LayerKind;
import dev.nabla.processor.validation.ModelDecl;
import dev.nabla.processor.validation.NetworkDecl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The graph stage: expands repeats and block instances into named nodes, resolves {@code from}
 * (forward references allowed), rejects unknown names, wrong merge arity and cycles, drops (with a
 * warning) layers that do not reach the output, and orders the rest topologically, declaration
 * order first. Shapes are left to {@link ShapeInference}.
 */
public final class GraphBuilder {
  private final Report report;
  private final List<Proto> protos = new ArrayList<>();
  private int dropoutSalt;

  private GraphBuilder(Report report) {
    this.report = report;
  }

  public static Optional<Graph> build(ModelDecl model, Report report) {
    return new GraphBuilder(report).run(model);
  }

  /** A node before its inputs are resolved; edges name a scope and a layer. */
  private static final class Proto {
    final String name;
    final Op op;
    final LayerDecl decl;
    final List<Ref> inputs = new ArrayList<>();
    final List<Integer> resolved = new ArrayList<>();

    Proto(String name, Op op, LayerDecl decl) {
      this.name = name;
      this.op = op;
      this.decl = decl;
    }
  }

  /**
   * An input edge: either a node already known, or a name to look up in a scope. {@code owner} is
   * the declaration whose {@code from} entry {@code fromEntry} wrote the name: for a block field it
   * is the field in the enclosing class, not the block's first layer that ends up reading it.
   */
  private record Ref(int node, Scope scope, String name, int fromEntry, LayerDecl owner) {
    static Ref to(int node) {
      return new Ref(node, null, null, -1, null);
    }
  }

  /** One instance of a model or block body: its layers' outputs by field name. */
  private static final class Scope {
    final NetworkDecl decl;
    final String prefix;
    final Ref input;
    /** The enclosing scope: names not found here are looked up there (a decoder reading the encoder). */
    final Scope parent;
    final Map<String, Integer> outputs = new LinkedHashMap<>();

    Scope(NetworkDecl decl, String prefix, Ref input, Scope parent) {
      this.decl = decl;
      this.prefix = prefix;
      this.input = input;
      this.parent = parent;
    }
  }

  private Optional<Graph> run(ModelDecl model) {
    for (var in : model.inputs()) protos.add(new Proto(in.name(), null, null));
    Scope root = new Scope(model.body(), "", Ref.to(0), null);
    for (int i = 1; i < model.inputs().size(); i++) root.outputs.put(model.inputs().get(i).name(), i);
    root = expand(model.body(), root);
    int before = report.findings().size();
    for (Proto p : protos) {
      for (Ref r : p.inputs) p.resolved.add(resolve(r, p));
    }
    if (report.hasErrors()) return Optional.empty();
    int output = outputOf(root);
    if (!acyclic()) return Optional.empty();
    boolean[] used = ancestors(output);
    for (int i = model.inputs().size(); i < protos.size(); i++) {
      if (!used[i]) {
        report.error(Message.UNUSED_LAYER, protos.get(i).decl.location(), protos.get(i).name, protos.get(output).name);
      }
    }
    if (report.findings().size() > before && report.hasErrors()) return Optional.empty();
    return Optional.of(order(model, used));
  }

  private Scope expand(NetworkDecl net, Scope scope) {
    String prefix = scope.prefix;
    Ref previous = scope.input;
    for (LayerDecl d : net.layers()) {
      List<Ref> in = new ArrayList<>();
      if (d.from().isEmpty()) {
        in.add(previous);
      } else {
        for (int i = 0; i < d.from().size(); i++) in.add(new Ref(-1, scope, d.from().get(i), i, d));
      }
      // a cross-attention's keys and values: input 1, from its memory attribute
      Ref memory = d.kind() == LayerKind.CROSS_ATTENTION ? new Ref(-1, scope, d.memory(), 1, d) : null;
      if (memory != null) in.add(memory);
      checkArity(d, prefix);
      int out = -1;
      for (int copy = 0; copy < d.repeat(); copy++) {
        String name = prefix + d.name() + (d.repeat() > 1 ? "." + copy : "");
        if (d.kind() == LayerKind.BLOCK) {
          out = outputOf(expand(d.block(), new Scope(d.block(), name + ".", in.get(0), scope)));
        } else {
          Proto p = new Proto(name, Ops.of(d, dropoutSalt++), d);
          p.inputs.addAll(in);
          protos.add(p);
          out = protos.size() - 1;
        }
        in = memory == null ? List.of(Ref.to(out)) : List.of(Ref.to(out), memory);
      }
      scope.outputs.put(d.name(), out);
      previous = Ref.to(out);
    }
    return scope;
  }

  private static Shape shapeOf(dev.nabla.processor.validation.InputDecl in) {
    return in.tokens() ? Shape.tokens(in.dims()[0], in.vocab()) : Shape.of(in.dims());
  }

  /** The node holding a scope's output: its last layer's last copy. */
  private static int outputOf(Scope scope) {
    int last = -1;
    for (int node : scope.outputs.values()) last = node;
    return last;
  }

  private void checkArity(LayerDecl d, String prefix) {
    int n = d.from().size();
    if (d.kind().isMerge() && n < 2) {
      report.error(Message.MERGE_ARITY, d.attribute("from"), d.kind().typeName(), d.name(), n);
    } else if (!d.kind().isMerge() && n > 1) {
      report.error(Message.TOO_MANY_INPUTS, d.fromEntry(1), d.kind() == LayerKind.BLOCK ? "Block" : d.kind().typeName(),
          d.name(), n);
    }
  }

  private int resolve(Ref r, Proto reader) {
    if (r.scope() == null) return r.node();
    String name = r.name();
    if (name.equals("input")) return resolveInput(r.scope().input, reader);
    Integer node = null;
    for (Scope s = r.scope(); node == null && s != null; s = s.parent) node = s.outputs.get(name);
    if (node == null) {
      String scopeName = r.scope().prefix.isEmpty() ? r.scope().decl.simpleName()
          : "block " + r.scope().decl.simpleName();
      report.error(Message.UNKNOWN_INPUT, r.owner().fromEntry(r.fromEntry()), r.owner().name(), name, scopeName,
          suggestion(name, r.scope()));
      return -1;
    }
    if (node == protos.indexOf(reader)) {
      report.error(Message.SELF_INPUT, r.owner().fromEntry(r.fromEntry()), r.owner().name());
      return -1;
    }
    return node;
  }

  private int resolveInput(Ref input, Proto reader) {
    return input.scope() == null ? input.node() : resolve(input, reader);
  }

  private static String suggestion(String name, Scope scope) {
    List<String> known = new ArrayList<>();
    known.add("input");
    known.addAll(scope.outputs.keySet());
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = editDistance(name, k);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    if (best != null && bestDistance <= Math.max(2, name.length() / 3)) return "; did you mean '" + best + "'?";
    return " (layers: " + String.join(", ", known) + ")";
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** Depth-first search for a cycle; reports the edge that closes it on its {@code from} entry. */
  private boolean acyclic() {
    int[] state = new int[protos.size()]; // 0 new, 1 on the path, 2 done
    List<Integer> path = new ArrayList<>();
    for (int i = 0; i < protos.size(); i++) {
      if (state[i] == 0 && !visit(i, state, path)) return false;
    }
    return true;
  }

  private boolean visit(int n, int[] state, List<Integer> path) {
    state[n] = 1;
    path.add(n);
    Proto p = protos.get(n);
    for (int slot = 0; slot < p.resolved.size(); slot++) {
      int m = p.resolved.get(slot);
      if (state[m] == 1) {
        List<String> cycle = new ArrayList<>();
        for (int k = path.indexOf(m); k < path.size(); k++) cycle.add(protos.get(path.get(k)).name);
        cycle.add(protos.get(m).name);
        List<Integer> onCycle = new ArrayList<>(path.subList(path.indexOf(m), path.size()));
        onCycle.add(m);
        int[] edge = explicitEdgeOnCycle(onCycle, n, slot);
        Proto closer = protos.get(edge[0]);
        Ref ref = closer.inputs.get(edge[1]);
        String read = protos.get(closer.resolved.get(edge[1])).name;
        report.error(Message.CYCLIC_FROM, ref.owner() == null ? closer.decl.location() : ref.owner().fromEntry(ref.fromEntry()),
            closer.name, read, closer.name, String.join(" → ", reverse(cycle)));
        return false;
      }
      if (state[m] == 0 && !visit(m, state, path)) return false;
    }
    path.remove(path.size() - 1);
    state[n] = 2;
    return true;
  }

  /**
   * Prefers pointing at an edge the user wrote in {@code from} over an implicit one. {@code cycle}
   * lists the nodes along the reads (each reads the next; the last repeats the first); returns
   * {node, input slot} of an explicit edge on the cycle, else the closing edge.
   */
  private int[] explicitEdgeOnCycle(List<Integer> cycle, int closing, int slot) {
    if (protos.get(closing).inputs.get(slot).fromEntry() >= 0) return new int[] {closing, slot};
    for (int k = 0; k + 1 < cycle.size(); k++) {
      Proto p = protos.get(cycle.get(k));
      for (int s = 0; s < p.inputs.size(); s++) {
        if (p.inputs.get(s).fromEntry() >= 0 && p.resolved.get(s).equals(cycle.get(k + 1))) {
          return new int[] {cycle.get(k), s};
        }
      }
    }
    return new int[] {closing, slot};
  }

  private static List<String> reverse(List<String> readsChain) {
    List<String> flow = new ArrayList<>(readsChain);
    java.util.Collections.reverse(flow);
    return flow;
  }

  private boolean[] ancestors(int output) {
    boolean[] used = new boolean[protos.size()];
    List<Integer> stack = new ArrayList<>(List.of(output));
    while (!stack.isEmpty()) {
      int n = stack.remove(stack.size() - 1);
      if (used[n]) continue;
      used[n] = true;
      stack.addAll(protos.get(n).resolved);
    }
    for (int i = 0; i < protos.size() && protos.get(i).op == null; i++) used[i] = true;
    return used;
  }

  /** Kahn's algorithm, always taking the earliest declared ready node. */
  private Graph order(ModelDecl model, boolean[] used) {
    int n = protos.size();
    int[] pending = new int[n];
    for (int i = 0; i < n; i++) if (used[i]) pending[i] = protos.get(i).resolved.size();
    Map<Integer, Integer> newId = new HashMap<>();
    List<Node> nodes = new ArrayList<>();
    java.util.PriorityQueue<Integer> ready = new java.util.PriorityQueue<>();
    for (int i = 0; i < model.inputs().size(); i++) ready.add(i);
    while (!ready.isEmpty()) {
      int i = ready.poll();
      Proto p = protos.get(i);
      List<Integer> inputs = new ArrayList<>();
      for (int m : p.resolved) inputs.add(newId.get(m));
      newId.put(i, nodes.size());
      Shape shape = i < model.inputs().size() ? shapeOf(model.inputs().get(i)) : null;
      nodes.add(new Node(nodes.size(), p.name, p.op, inputs, shape, p.decl == null ? null : new Origin(p.decl)));
      for (int j = 0; j < n; j++) {
        if (!used[j] || j == i) continue;
        for (int m : protos.get(j).resolved) {
          if (m == i && --pending[j] == 0) ready.add(j);
        }
      }
    }
    return new Graph(model.body().simpleName(), nodes);
  }
}
