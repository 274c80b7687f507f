package io.cifarserve.classifier.image;

import io.cifarserve.common.model.ModelMetadata;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Turns pictures into the model's input: centre-crop to a square, area-average resize to the input
 * size, scale to [0, 1], normalise each channel with the model's mean and standard deviation, lay
 * out as planar RGB (CHW; a batch is NCHW).
 *
 * <p>Training, batch prediction and serving all go through this class, so a model sees the same
 * numbers in production as in evaluation. Instances are immutable and thread-safe.
 */
public final class ImagePreprocessor {

  private static final int CHANNELS = 3;

  private final int inputSize;
  private final float[] mean;
  private final float[] std;

  public ImagePreprocessor(int inputSize, List<Float> mean, List<Float> std) {
    if (inputSize <= 0) {
      throw new IllegalArgumentException("inputSize must be positive, was " + inputSize);
    }
    if (mean.size() != CHANNELS || std.size() != CHANNELS) {
      throw new IllegalArgumentException("mean and std need one value per RGB channel");
    }
    this.inputSize = inputSize;
    this.mean = new float[CHANNELS];
    this.std = new float[CHANNELS];
    for (int c = 0; c < CHANNELS; c++) {
      if (!(std.get(c) > 0)) {
        throw new IllegalArgumentException("std must be positive, was " + std);
      }
      this.mean[c] = mean.get(c);
      this.std[c] = std.get(c);
    }
  }

  /** The preprocessing a model was trained with, as its metadata records it. */
  public static ImagePreprocessor forModel(ModelMetadata metadata) {
    return new ImagePreprocessor(metadata.inputSize(), metadata.mean(), metadata.std());
  }

  public int inputSize() {
    return inputSize;
  }

  /** Number of floats one image occupies in a tensor. */
  public int imageLength() {
    return CHANNELS * inputSize * inputSize;
  }

  /** One image as a CHW tensor. */
  public float[] toTensor(BufferedImage image) {
    float[] out = new float[imageLength()];
    writeTensor(image, out, 0);
    return out;
  }

  /** Several images as one NCHW tensor, in order. */
  public float[] toBatchTensor(List<BufferedImage> images) {
    float[] out = new float[images.size() * imageLength()];
    for (int i = 0; i < images.size(); i++) {
      writeTensor(images.get(i), out, i * imageLength());
    }
    return out;
  }

  /** Writes one image's CHW tensor into {@code dest} starting at {@code offset}. */
  public void writeTensor(BufferedImage image, float[] dest, int offset) {
    float[][] planes = cropAndResize(image);
    int plane = inputSize * inputSize;
    for (int c = 0; c < CHANNELS; c++) {
      for (int i = 0; i < plane; i++) {
        dest[offset + c * plane + i] = normalize(planes[c][i], c);
      }
    }
  }

  /**
   * Crops and resizes like {@link #toTensor} but stops before normalising: planar RGB bytes, the
   * CIFAR-10 binary layout, which training augments before normalising.
   */
  public byte[] toPlanarRgb(BufferedImage image) {
    float[][] planes = cropAndResize(image);
    int plane = inputSize * inputSize;
    byte[] out = new byte[CHANNELS * plane];
    for (int c = 0; c < CHANNELS; c++) {
      for (int i = 0; i < plane; i++) {
        out[c * plane + i] = (byte) Math.min(255, Math.round(planes[c][i]));
      }
    }
    return out;
  }

  private float[][] cropAndResize(BufferedImage image) {
    int side = Math.min(image.getWidth(), image.getHeight());
    int x0 = (image.getWidth() - side) / 2;
    int y0 = (image.getHeight() - side) / 2;
    int[] argb = image.getRGB(x0, y0, side, side, null, 0, side);
    return AreaResize.resize(argb, side, inputSize);
  }

  /**
   * Normalises planar RGB bytes (the CIFAR-10 binary layout: all red, then green, then blue) that
   * are already {@code inputSize} square, writing the CHW tensor into {@code dest}.
   */
  public void writeTensor(byte[] planarRgb, int srcOffset, float[] dest, int destOffset) {
    int plane = inputSize * inputSize;
    for (int c = 0; c < CHANNELS; c++) {
      for (int i = 0; i < plane; i++) {
        int value = planarRgb[srcOffset + c * plane + i] & 0xFF;
        dest[destOffset + c * plane + i] = normalize(value, c);
      }
    }
  }

  private float normalize(float value0to255, int channel) {
    return (value0to255 / 255f - mean[channel]) / std[channel];
  }
}
