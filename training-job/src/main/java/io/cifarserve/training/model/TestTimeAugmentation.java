package io.cifarserve.training.model;

/**
 * What an exported model does with each picture at prediction time. Averaging over the mirror image
 * reuses the flip the network was trained with, so it buys accuracy with compute alone.
 */
public enum TestTimeAugmentation {
  /** One forward pass on the picture as given. */
  NONE(""),
  /** Averages the logits of the picture and its left-right mirror image: two passes. */
  HORIZONTAL_FLIP("+hflip");

  private final String architectureSuffix;

  TestTimeAugmentation(String architectureSuffix) {
    this.architectureSuffix = architectureSuffix;
  }

  /**
   * Appended to the architecture in the model's metadata, e.g. {@code resnet18/imagenet/w64+hflip}.
   */
  public String architectureSuffix() {
    return architectureSuffix;
  }
}
