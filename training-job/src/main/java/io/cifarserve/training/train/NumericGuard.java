package io.cifarserve.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import io.cifarserve.training.model.ResNet18;
import java.util.List;
import java.util.Map;

/**
 * Stops a run the moment a loss, gradient or weight is not finite, naming where, so that a diverged
 * or miscomputed run never writes a checkpoint or a model from bad numbers.
 */
public final class NumericGuard {

  private static final String CAUSES =
      "Likely causes: a learning rate too high for this model and batch size (--lr), or wrong"
          + " arithmetic in this CPU's kernels (see the \"numerics:\" line at the start of the"
          + " log). Nothing was exported.";

  private NumericGuard() {}

  static void requireFiniteLoss(double loss, int epoch, int batch, int batches) {
    if (!Double.isFinite(loss)) {
      throw new NonFiniteException(
          "training stopped in epoch %d, batch %d of %d: the loss is %s. %s"
              .formatted(epoch, batch, batches, loss, CAUSES));
    }
  }

  static void requireFiniteGradient(double norm, int epoch, int batch, int batches) {
    if (!Double.isFinite(norm)) {
      throw new NonFiniteException(
          ("training stopped in epoch %d, batch %d of %d: the gradient is not finite (norm %s);"
                  + " the weights were not updated. %s")
              .formatted(epoch, batch, batches, norm, CAUSES));
    }
  }

  static void requireFiniteValidation(double loss, int epoch) {
    if (!Double.isFinite(loss)) {
      throw new NonFiniteException(
          ("training stopped after epoch %d: the validation loss is %s, so the network"
                  + " computes non-finite outputs. %s")
              .formatted(epoch, loss, CAUSES));
    }
  }

  /** Every parameter and batch-norm statistic is finite. */
  public static void requireFiniteWeights(ResNet18 net, String when) {
    for (Map.Entry<String, Parameter> entry : net.parameters().entrySet()) {
      NDArray array = entry.getValue().getArray();
      boolean bad;
      try (NDScope scope = new NDScope()) {
        bad = array.isNaN().logicalOr(array.isInfinite()).any().getBoolean();
      }
      if (bad) {
        throw new NonFiniteException(
            "%s: %s holds NaN or infinite values. %s".formatted(when, entry.getKey(), CAUSES));
      }
    }
  }

  /** Every recorded epoch's losses are finite (no validation split leaves NaN there by design). */
  public static void requireFiniteHistory(List<EpochMetrics> epochs, String when) {
    for (EpochMetrics epoch : epochs) {
      boolean validationOk =
          Double.isFinite(epoch.validationLoss())
              || (Double.isNaN(epoch.validationLoss()) && Double.isNaN(epoch.validationAccuracy()));
      if (!Double.isFinite(epoch.trainLoss()) || !validationOk) {
        throw new NonFiniteException(
            "%s: epoch %d recorded a non-finite loss (train %s, validation %s). %s"
                .formatted(when, epoch.epoch(), epoch.trainLoss(), epoch.validationLoss(), CAUSES));
      }
    }
  }
}
