package dev.nabla.runtime.train;

/**
 * A model measured on a dataset: for a classifier, mean cross-entropy of the predicted
 * probabilities and the fraction of argmax predictions equal to the label; for a regression, the
 * mean squared error over all target values and NaN accuracy.
 */
public record Evaluation(double loss, double accuracy, int count) {}
