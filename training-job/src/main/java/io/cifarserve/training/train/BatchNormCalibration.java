package io.cifarserve.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.ParameterStore;
import io.cifarserve.training.model.ResNet18;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures a network's batch-norm running statistics for its current weights: the plain mean of the
 * statistics of every batch passed in training mode, as if the weights had been trained with them.
 * Weights that were never trained as such (an average of snapshots) need this before use.
 */
final class BatchNormCalibration {

  private final ResNet18 net;
  private final ParameterStore parameterStore;
  private final List<NDArray> statistics = new ArrayList<>();
  private final List<NDArray> sums = new ArrayList<>();
  private int batches;

  BatchNormCalibration(ResNet18 net, NDManager manager) {
    this.net = net;
    this.parameterStore = new ParameterStore(manager, false);
    net.parameters()
        .forEach(
            (name, p) -> {
              if (!p.requiresGradient()) {
                statistics.add(p.getArray());
                sums.add(p.getArray().zerosLike());
              }
            });
  }

  /** Runs one batch (NCHW, at least two images) through the network in training mode. */
  void add(NDArray batch) {
    if (batch.getShape().get(0) < 2) {
      throw new IllegalArgumentException("a batch's variance needs at least two images");
    }
    // From zero, one training-mode update leaves (1 - momentum) times this batch's statistic.
    try (NDScope scope = new NDScope()) {
      statistics.forEach(s -> s.set(new float[Math.toIntExact(s.size())]));
      net.block().forward(parameterStore, new NDList(batch), true);
    }
    for (int i = 0; i < statistics.size(); i++) {
      sums.get(i).addi(statistics.get(i));
    }
    batches++;
  }

  /** Writes the mean over the batches added into the network. */
  void finish() {
    if (batches == 0) {
      throw new IllegalStateException("no batches to measure batch-norm statistics on");
    }
    float scale = 1f / (batches * (1 - ResNet18.BN_MOMENTUM));
    for (int i = 0; i < statistics.size(); i++) {
      statistics.get(i).set(sums.get(i).mul(scale).toFloatArray());
    }
  }

  int batches() {
    return batches;
  }
}
