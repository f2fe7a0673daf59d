package dev.nabla.runtime.train;

/**
 * The learning-rate schedules of {@code @Schedule}, as pure functions of the optimiser steps taken
 * {@code t} (0 for the first step), matching torch.optim.lr_scheduler stepped once per optimiser
 * step. Generated update steps call them with their step counter; nothing here allocates.
 */
public final class Schedules {
  private Schedules() {}

  /** StepLR: lr·γ^⌊t / stepSize⌋. */
  public static double step(double lr, double gamma, int stepSize, long t) {
    return lr * Math.pow(gamma, t / stepSize);
  }

  /** ExponentialLR: lr·γᵗ. */
  public static double exponential(double lr, double gamma, long t) {
    return lr * Math.pow(gamma, t);
  }

  /** CyclicLR, mode triangular: from baseLr up to maxLr in stepSizeUp steps, down in as many. */
  public static double cyclic(double baseLr, double maxLr, int stepSizeUp, long t) {
    double total = 2.0 * stepSizeUp;
    double cycle = Math.floor(1 + t / total);
    double x = 1 + t / total - cycle;
    double scale = x <= 0.5 ? x / 0.5 : (x - 1) / (0.5 - 1);
    return baseLr + (maxLr - baseLr) * scale;
  }

  /**
   * CosineAnnealingWarmRestarts: minLr + (lr − minLr)·(1 + cos(π·T꜀ / Tᵢ)) / 2, where the cycles
   * last period, period·mult, period·mult², ... steps and T꜀ counts the steps into the current one.
   */
  public static double cosineWarmRestarts(double lr, double minLr, int period, int mult, long t) {
    long tCur;
    long tI = period;
    if (mult == 1) {
      tCur = t % period;
    } else {
      tCur = t;
      while (tCur >= tI) {
        tCur -= tI;
        tI *= mult;
      }
    }
    return minLr + (lr - minLr) * (1 + Math.cos(Math.PI * tCur / tI)) / 2;
  }

  /**
   * Linear warm-up composed with any schedule: lr·(t + 1) / warmupSteps for the first warmupSteps
   * steps, as a chained {@code LinearLR(start_factor = 1 / warmupSteps, total_iters = warmupSteps − 1)}.
   */
  public static double warmup(double lr, int warmupSteps, long t) {
    return t < warmupSteps ? lr * (t + 1) / warmupSteps : lr;
  }

  /**
   * NAdam's momentum coefficient of step t (from 1), as torch 1.13: β1·(1 − ½·0.96^(t·ψ)). The
   * generated step keeps the running product of these for {@code nadamUpdate}.
   */
  public static double nadamMu(double beta1, double momentumDecay, long t) {
    return beta1 * (1 - 0.5 * Math.pow(0.96, t * momentumDecay));
  }

  /**
   * The factor clip_grad_norm_ scales the gradient by: min(1, maxNorm / (norm + 1e-6)); 1 when
   * maxNorm is 0 (no clipping).
   */
  public static double clipScale(double maxNorm, double norm) {
    return maxNorm > 0 ? Math.min(1.0, maxNorm / (norm + 1e-6)) : 1.0;
  }
}
