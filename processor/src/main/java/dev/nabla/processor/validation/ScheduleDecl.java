package dev.nabla.processor.validation;

/** The validated {@code @Schedule} of an optimiser (NONE with no warm-up when absent). */
public record ScheduleDecl(String type, int stepSize, double gamma, double baseLr, int stepSizeUp, int period,
                           int periodMultiplier, double minLr, int warmupSteps) {
  public static final ScheduleDecl NONE = new ScheduleDecl("NONE", 1000, 0.1, 0.001, 2000, 1000, 1, 0.0, 0);

  /** Whether the learning rate changes with the step counter. */
  public boolean varies() {
    return !type.equals("NONE") || warmupSteps > 1;
  }
}
