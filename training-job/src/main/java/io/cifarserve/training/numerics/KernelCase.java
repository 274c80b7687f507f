package io.cifarserve.training.numerics;

import io.cifarserve.training.model.ConvolutionLayer;

/**
 * One convolution as training or evaluation computes it: at one batch size, forward only or with
 * its backward pass (the input's gradient too, unless the layer reads the pictures).
 */
public record KernelCase(ConvolutionLayer layer, int batch, boolean backward) {

  public boolean needsInputGradient() {
    return backward && !layer.readsPictures();
  }

  public String describe() {
    return "%s (%s), batch %d, %s"
        .formatted(
            layer.name(), layer.shape(), batch, backward ? "forward and backward" : "forward");
  }

  /** Cases that compute alike, whatever their layer's name. */
  String arithmetic() {
    return layer.shape() + "/" + batch + "/" + backward + "/" + needsInputGradient();
  }
}
