package dev.nabla.processor.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The memory plan: every arena buffer gets a fixed offset, in elements per example (the generated
 * code multiplies by the batch size), so that buffers alive at the same step never overlap. A
 * buffer lives from the first step that touches it to the last (to the end for persistent ones).
 * Offsets are assigned greedily, largest buffer first, each at the lowest offset that fits beside
 * the buffers it overlaps in time.
 */
public record MemoryPlan(Map<Integer, Integer> offsets, int perExample, int unplannedPerExample) {

  public MemoryPlan {
    offsets = Map.copyOf(offsets);
  }

  /** Offset of an arena buffer in elements per example. */
  public int offset(Buffer b) {
    Integer o = offsets.get(b.id());
    if (o == null) throw new IllegalStateException("buffer never used: " + b.label());
    return o;
  }

  public static MemoryPlan assign(List<Step> steps) {
    Map<Integer, Buffer> buffers = new HashMap<>();
    Map<Integer, int[]> life = new HashMap<>();
    for (int s = 0; s < steps.size(); s++) {
      Step step = steps.get(s);
      List<Buffer> touched = new ArrayList<>(step.reads());
      touched.addAll(step.writes());
      for (Buffer b : touched) {
        if (b.region() != Buffer.Region.ARENA) continue;
        buffers.put(b.id(), b);
        int[] span = life.computeIfAbsent(b.id(), k -> new int[] {Integer.MAX_VALUE, -1});
        span[0] = Math.min(span[0], s);
        span[1] = Math.max(span[1], b.persistent() ? steps.size() : s);
      }
    }
    List<Buffer> bySize = new ArrayList<>(buffers.values());
    bySize.sort(Comparator.comparingInt((Buffer b) -> -b.shape().size())
        .thenComparingInt(b -> life.get(b.id())[0]).thenComparingInt(Buffer::id));
    Map<Integer, Integer> offsets = new HashMap<>();
    List<Buffer> placed = new ArrayList<>();
    int total = 0;
    int unplanned = 0;
    for (Buffer b : bySize) {
      int size = b.shape().size();
      unplanned += size;
      int[] span = life.get(b.id());
      List<int[]> taken = new ArrayList<>();
      for (Buffer p : placed) {
        int[] ps = life.get(p.id());
        if (ps[0] <= span[1] && span[0] <= ps[1]) {
          int o = offsets.get(p.id());
          taken.add(new int[] {o, o + p.shape().size()});
        }
      }
      taken.sort(Comparator.comparingInt(r -> r[0]));
      int offset = 0;
      for (int[] r : taken) {
        if (offset + size <= r[0]) break;
        offset = Math.max(offset, r[1]);
      }
      offsets.put(b.id(), offset);
      placed.add(b);
      total = Math.max(total, offset + size);
    }
    return new MemoryPlan(offsets, total, unplanned);
  }
}
