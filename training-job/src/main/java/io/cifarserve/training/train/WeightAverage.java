package io.cifarserve.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import io.cifarserve.training.model.ResNet18;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stochastic weight averaging: the running mean of a network's learned weights, taken at the end of
 * each averaged epoch. Batch-norm statistics are left out: those of any one snapshot do not fit the
 * mean weights, so {@link BatchNormCalibration} measures them afresh.
 */
final class WeightAverage {

  private final Map<String, Parameter> learned = new LinkedHashMap<>();
  private final Map<String, NDArray> mean = new LinkedHashMap<>();
  private int snapshots;

  WeightAverage(ResNet18 net, NDManager manager) {
    net.parameters()
        .forEach(
            (name, p) -> {
              if (p.requiresGradient()) {
                learned.put(name, p);
                mean.put(name, manager.zeros(p.getArray().getShape()));
              }
            });
  }

  /** Adds the network's current weights to the mean. */
  void add() {
    snapshots++;
    float share = 1f / snapshots;
    // The differences are network-sized temporaries: freed here, not when the run ends.
    try (NDScope scope = new NDScope()) {
      learned.forEach(
          (name, p) -> {
            NDArray m = mean.get(name);
            m.addi(p.getArray().sub(m).muli(share));
          });
    }
  }

  /** Replaces the network's learned weights with the mean. */
  void copyIntoNetwork() {
    learned.forEach((name, p) -> p.getArray().set(mean.get(name).toByteBuffer()));
  }

  int snapshots() {
    return snapshots;
  }

  /** After a resume: the mean's buffers were restored from a checkpoint that had this many. */
  void restored(int count) {
    snapshots = count;
  }

  /** The mean, by parameter name, for checkpoints to save and restore in place. */
  Map<String, NDArray> buffers() {
    return mean;
  }
}
