package io.cifarserve.common;

import java.util.List;

/** The CIFAR-10 label set and the pixel statistics both training and serving normalise with. */
public final class Cifar10 {

  /**
   * Labels in the official order: class index {@code i} of the dataset is {@code LABELS.get(i)}.
   */
  public static final List<String> LABELS =
      List.of(
          "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

  /** Side of a CIFAR-10 image in pixels. */
  public static final int IMAGE_SIZE = 32;

  /** Per-channel (R, G, B) mean of the training set, pixels scaled to [0, 1]. */
  public static final List<Float> MEAN = List.of(0.4914f, 0.4822f, 0.4465f);

  /** Per-channel (R, G, B) standard deviation of the training set, pixels scaled to [0, 1]. */
  public static final List<Float> STD = List.of(0.2470f, 0.2435f, 0.2616f);

  private Cifar10() {}

  /**
   * The class index of a label name, case-insensitive.
   *
   * @throws IllegalArgumentException if the name is not a CIFAR-10 class
   */
  public static int indexOf(String label) {
    int index = LABELS.indexOf(label.toLowerCase(java.util.Locale.ROOT));
    if (index < 0) {
      throw new IllegalArgumentException(
          "'" + label + "' is not a CIFAR-10 class; expected one of " + LABELS);
    }
    return index;
  }
}
