package dev.nabla.dsl;

/** The learning-rate schedules {@link Schedule} can generate; t counts the optimiser steps taken, from 0. */
public enum ScheduleType {
  /** The constant learning rate. */
  NONE,
  /** {@code torch.optim.lr_scheduler.StepLR}: lr·γ^⌊t / stepSize⌋. */
  STEP,
  /** {@code torch.optim.lr_scheduler.ExponentialLR}: lr·γᵗ. */
  EXPONENTIAL,
  /**
   * {@code torch.optim.lr_scheduler.CyclicLR}, mode triangular (momentum not cycled): from baseLr up to
   * the optimiser's learningRate in stepSizeUp steps, back down in as many, and again.
   */
  CYCLIC,
  /**
   * {@code torch.optim.lr_scheduler.CosineAnnealingWarmRestarts}: minLr + (lr − minLr)·(1 + cos(π·T꜀ / Tᵢ)) / 2,
   * restarting after Tᵢ steps, Tᵢ growing from period by periodMultiplier at each restart.
   */
  COSINE
}
