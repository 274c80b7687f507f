package io.cifarserve.training.data;

import io.cifarserve.classifier.image.ImagePreprocessor;
import java.util.Arrays;

/**
 * 32x32 RGB images held in memory in the CIFAR-10 binary layout: per image, 1024 red, 1024 green,
 * then 1024 blue bytes. Compact enough for all 60,000 images (184 MB).
 */
public record LabeledImages(byte[] pixels, int[] labels, int imageSize) {

  public LabeledImages {
    if (pixels.length != (long) labels.length * bytesPerImage(imageSize)) {
      throw new IllegalArgumentException(
          "pixel buffer holds %d bytes, %d images need %d"
              .formatted(pixels.length, labels.length, labels.length * bytesPerImage(imageSize)));
    }
  }

  public static int bytesPerImage(int imageSize) {
    return 3 * imageSize * imageSize;
  }

  public int size() {
    return labels.length;
  }

  public int bytesPerImage() {
    return bytesPerImage(imageSize);
  }

  /** Offset of image {@code i}'s first byte in {@link #pixels()}. */
  public int offset(int i) {
    return i * bytesPerImage();
  }

  /** Images {@code start} to {@code start + n - 1} as one normalised NCHW tensor. */
  public float[] tensor(ImagePreprocessor preprocessor, int start, int n) {
    int length = preprocessor.imageLength();
    float[] batch = new float[n * length];
    for (int i = 0; i < n; i++) {
      preprocessor.writeTensor(pixels, offset(start + i), batch, i * length);
    }
    return batch;
  }

  /** The images at the given indices, in that order. */
  public LabeledImages select(int[] indices) {
    int n = bytesPerImage();
    byte[] selected = new byte[indices.length * n];
    int[] selectedLabels = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(pixels, offset(indices[i]), selected, i * n, n);
      selectedLabels[i] = labels[indices[i]];
    }
    return new LabeledImages(selected, selectedLabels, imageSize);
  }

  /** Images per class, indexed by class. */
  public int[] classCounts(int classes) {
    int[] counts = new int[classes];
    for (int label : labels) {
      counts[label]++;
    }
    return counts;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LabeledImages that
        && imageSize == that.imageSize
        && Arrays.equals(labels, that.labels)
        && Arrays.equals(pixels, that.pixels);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(labels) + Arrays.hashCode(pixels);
  }

  @Override
  public String toString() {
    return "LabeledImages[" + size() + " images of " + imageSize + "px]";
  }
}
