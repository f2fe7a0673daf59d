package dev.nabla.processor.validation;

import dev.nabla.processor.base.Location;
import dev.nabla.processor.base.Message;
import dev.nabla.processor.base.Report;

/** Range checks on numeric attributes; each finding points at the value. */
final class HyperParameters {
  private HyperParameters() {}

  static boolean positive(int value, String what, Location at, Report report) {
    if (value > 0) return true;
    report.error(Message.NON_POSITIVE_SIZE, at, what, value);
    return false;
  }

  static boolean positiveFinite(double value, String what, Location at, Report report) {
    if (value > 0 && Double.isFinite(value)) return true;
    report.error(Message.BAD_HYPER_PARAMETER, at, what, "positive and finite", format(value));
    return false;
  }

  /** value in [0, 1). */
  static boolean unitInterval(double value, String what, Location at, Report report) {
    if (value >= 0 && value < 1) return true;
    report.error(Message.BAD_HYPER_PARAMETER, at, what, "in [0, 1)", format(value));
    return false;
  }

  static boolean nonNegativeFinite(double value, String what, Location at, Report report) {
    if (value >= 0 && Double.isFinite(value)) return true;
    report.error(Message.BAD_HYPER_PARAMETER, at, what, "non-negative and finite", format(value));
    return false;
  }

  /** A decay factor: value in (0, 1]. */
  static boolean decayFactor(double value, String what, Location at, Report report) {
    if (value > 0 && value <= 1) return true;
    report.error(Message.BAD_HYPER_PARAMETER, at, what, "in (0, 1]", format(value));
    return false;
  }

  /** A schedule's lowest rate: value in [0, learningRate). */
  static boolean belowLearningRate(double value, String what, double learningRate, Location at, Report report) {
    if (value >= 0 && value < learningRate) return true;
    report.error(Message.BAD_HYPER_PARAMETER, at, what, "in [0, learningRate = " + format(learningRate) + ")",
        format(value));
    return false;
  }

  static boolean atLeastOne(int value, String what, Location at, Report report) {
    if (value >= 1) return true;
    report.error(Message.BAD_HYPER_PARAMETER, at, what, "at least 1", value);
    return false;
  }

  static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
