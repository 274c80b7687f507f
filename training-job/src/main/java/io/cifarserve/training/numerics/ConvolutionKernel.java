package io.cifarserve.training.numerics;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;

/** Computes a convolution, and for a training case its gradients, in the arrays' precision. */
@FunctionalInterface
public interface ConvolutionKernel {

  /** The output and, when asked for, the gradients of {@code sum(output * outputGradient)}. */
  record Result(NDArray output, NDArray inputGradient, NDArray weightGradient) {}

  Result run(NDArray input, NDArray weight, NDArray outputGradient, KernelCase kernelCase);

  /** The convolution the network's {@code Conv2d} blocks run, through the engine's autograd. */
  ConvolutionKernel ENGINE =
      (input, weight, outputGradient, kernelCase) -> {
        if (!kernelCase.backward()) {
          return new Result(convolve(input, weight, kernelCase), null, null);
        }
        weight.setRequiresGradient(true);
        input.setRequiresGradient(kernelCase.needsInputGradient());
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray output = convolve(input, weight, kernelCase);
          // The gradient of sum(output * g) with respect to the output is g.
          collector.backward(output.mul(outputGradient).sum());
          return new Result(
              output,
              kernelCase.needsInputGradient() ? input.getGradient() : null,
              weight.getGradient());
        }
      };

  private static NDArray convolve(NDArray input, NDArray weight, KernelCase kernelCase) {
    int stride = kernelCase.layer().stride();
    int padding = kernelCase.layer().padding();
    return Conv2d.conv2d(
            input,
            weight,
            null,
            new Shape(stride, stride),
            new Shape(padding, padding),
            new Shape(1, 1),
            1)
        .singletonOrThrow();
  }
}
