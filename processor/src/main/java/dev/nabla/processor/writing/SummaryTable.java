package dev.nabla.processor.writing;

import dev.nabla.processor.graph.Node;
import dev.nabla.processor.ops.ParamTensor;
import dev.nabla.processor.plan.Plan;
import java.util.ArrayList;
import java.util.List;

/**
 * The table in the generated class's javadoc: each layer's output shape, parameter count and
 * forward FLOPs per example, with totals and the memory planned per example.
 */
final class SummaryTable {
  private SummaryTable() {}

  static String render(Plan plan, int elementBytes) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"layer", "kind", "output", "params", "FLOPs/example"});
    long totalParams = 0, totalFlops = 0;
    for (Node n : plan.graph().nodes()) {
      if (n.isInput()) {
        rows.add(new String[] {"input", "Input", n.shape().toString(), "0", "0"});
        continue;
      }
      long params = 0;
      for (ParamTensor t : n.op().parameters(plan.graph().inputShapes(n), n.shape())) params += t.size();
      long flops = n.op().flops(plan.graph().inputShapes(n), n.shape());
      totalParams += params;
      totalFlops += flops;
      rows.add(new String[] {n.name(), kind(n), n.shape().toString(), group(params), group(flops)});
    }
    rows.add(new String[] {"total", "", "", group(totalParams), group(totalFlops)});
    int[] width = new int[5];
    for (String[] r : rows) for (int i = 0; i < 5; i++) width[i] = Math.max(width[i], r[i].length());
    StringBuilder s = new StringBuilder("<pre>\n");
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < 5; i++) {
        String cell = r[i];
        boolean right = i >= 3;
        String pad = " ".repeat(width[i] - cell.length());
        line.append(right ? pad + cell : cell + pad).append(i < 4 ? "  " : "");
      }
      s.append(line.toString().stripTrailing()).append('\n');
    }
    int arena = plan.memory().perExample();
    s.append("</pre>\n");
    s.append(String.format(
        "<p>Memory planned per example: %s elements (%s bytes) of activations and gradients,%n"
            + "reused across steps where lifetimes allow (%s without planning).%n"
            + "Fixed: %s parameters, their gradients%s.%n",
        group(arena), group((long) arena * elementBytes), group(plan.memory().unplannedPerExample()),
        group(plan.parameterCount()), stateText(plan.optimizer())));
    return s.toString();
  }

  private static String stateText(dev.nabla.processor.validation.OptimizerDecl o) {
    if (o.state().isEmpty()) return "";
    if (o.type().equals("SGD")) return " and momentum";
    if (o.type().equals("ADAM")) return " and Adam's two moments";
    return " and " + o.displayName() + "'s state ("
        + String.join(", ", o.state().stream().map(st -> st.field()).toList()) + ")";
  }

  private static String kind(Node n) {
    String k = n.op().kind();
    return n.op().activation().name().equals("NONE") || n.op().isActivationOnly()
        ? (n.op().isActivationOnly() ? k + " " + n.op().activation().name().toLowerCase() : k)
        : k + " + " + n.op().activation().name().toLowerCase();
  }

  static String group(long v) {
    return String.format("%,d", v);
  }
}
