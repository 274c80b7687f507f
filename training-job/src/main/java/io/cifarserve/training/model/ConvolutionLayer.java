package io.cifarserve.training.model;

/**
 * One square convolution of the network (no bias, no dilation, one group), reading a square feature
 * map of side {@code inputSize}.
 */
public record ConvolutionLayer(
    String name,
    int inChannels,
    int outChannels,
    int kernel,
    int stride,
    int padding,
    int inputSize) {

  public int outputSize() {
    return (inputSize + 2 * padding - kernel) / stride + 1;
  }

  /** The layer's arithmetic without its name: layers that differ only in name compute alike. */
  public String shape() {
    return "%dx%d/%d %d->%d on %dx%d"
        .formatted(kernel, kernel, stride, inChannels, outChannels, inputSize, inputSize);
  }

  /** The first layer reads the pictures, which need no gradient. */
  public boolean readsPictures() {
    return name.equals("conv1");
  }
}
