package io.cifarserve.website.predict;

import io.cifarserve.common.api.ModelInfo;
import io.cifarserve.common.image.ImagePreprocessor;
import java.awt.Color;
import java.awt.image.BufferedImage;

/**
 * "Why this class?": slides a grey patch over the picture and measures how much the predicted
 * class's probability drops at each position. All occluded copies go to the inference service in
 * one batch. Regions whose covering hurts the prediction most are the ones it relied on.
 */
public final class OcclusionMap {

  /** The drop in probability for each patch position, row-major, and the grid's side. */
  public record Result(double[] drops, int grid, int predictedClass) {

    public double max() {
      double max = 0;
      for (double d : drops) {
        max = Math.max(max, d);
      }
      return max;
    }
  }

  private final int patch;
  private final int stride;

  public OcclusionMap(int patch, int stride) {
    this.patch = patch;
    this.stride = stride;
  }

  public Result compute(BufferedImage picture, ModelInfo model, InferenceClient client) {
    int size = model.inputSize();
    ImagePreprocessor preprocessor = new ImagePreprocessor(size, model.mean(), model.std());
    float[] original = preprocessor.toTensor(picture);
    int grid = (size - patch) / stride + 1;
    int n = 1 + grid * grid;
    int length = original.length;
    float[] batch = new float[n * length];
    System.arraycopy(original, 0, batch, 0, length);
    int plane = size * size;
    for (int gy = 0; gy < grid; gy++) {
      for (int gx = 0; gx < grid; gx++) {
        int offset = (1 + gy * grid + gx) * length;
        System.arraycopy(original, 0, batch, offset, length);
        for (int c = 0; c < 3; c++) {
          // Mid grey, normalised the way the model normalises every pixel.
          float grey = (0.5f - model.mean().get(c)) / model.std().get(c);
          for (int y = gy * stride; y < gy * stride + patch; y++) {
            for (int x = gx * stride; x < gx * stride + patch; x++) {
              batch[offset + c * plane + y * size + x] = grey;
            }
          }
        }
      }
    }
    float[][] probabilities = client.probabilities(model.name(), batch, n, size);
    int predicted = io.cifarserve.common.model.Ranking.argmax(probabilities[0]);
    double[] drops = new double[grid * grid];
    for (int i = 0; i < drops.length; i++) {
      drops[i] = Math.max(0, probabilities[0][predicted] - probabilities[1 + i][predicted]);
    }
    return new Result(drops, grid, predicted);
  }

  /**
   * The map as a translucent red overlay of the given side, to lay over the thumbnail: each pixel
   * averages the drops of the patches covering it.
   */
  public BufferedImage overlay(Result result, int inputSize, int side) {
    double[] heat = new double[inputSize * inputSize];
    int[] cover = new int[inputSize * inputSize];
    for (int gy = 0; gy < result.grid(); gy++) {
      for (int gx = 0; gx < result.grid(); gx++) {
        double drop = result.drops()[gy * result.grid() + gx];
        for (int y = gy * stride; y < gy * stride + patch; y++) {
          for (int x = gx * stride; x < gx * stride + patch; x++) {
            heat[y * inputSize + x] += drop;
            cover[y * inputSize + x]++;
          }
        }
      }
    }
    double max = 0;
    for (int i = 0; i < heat.length; i++) {
      heat[i] = cover[i] == 0 ? 0 : heat[i] / cover[i];
      max = Math.max(max, heat[i]);
    }
    BufferedImage out = new BufferedImage(side, side, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        double v =
            max <= 0 ? 0 : heat[(y * inputSize / side) * inputSize + x * inputSize / side] / max;
        int alpha = (int) Math.round(200 * v);
        out.setRGB(x, y, new Color(255, (int) (200 * (1 - v)), 0, alpha).getRGB());
      }
    }
    return out;
  }
}
