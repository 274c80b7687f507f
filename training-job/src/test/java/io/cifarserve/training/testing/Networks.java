package io.cifarserve.training.testing;

import ai.djl.ndarray.NDArray;
import io.cifarserve.training.model.ResNet18;
import java.util.Random;

/** Networks for tests. */
public final class Networks {

  private Networks() {}

  /**
   * Gives every batch norm random scale, shift and statistics (variances 0.5 to 1.5), so that an
   * export or a transformation that mishandles them shows.
   */
  public static void randomiseBatchNorm(ResNet18 net, Random random) {
    net.parameters()
        .forEach(
            (name, parameter) -> {
              NDArray array = parameter.getArray();
              if (name.startsWith("fc.") || name.contains("conv") || name.endsWith(".0.weight")) {
                return;
              }
              float[] values = new float[(int) array.size()];
              for (int i = 0; i < values.length; i++) {
                values[i] =
                    name.endsWith("running_var")
                        ? 0.5f + random.nextFloat()
                        : (float)
                            (0.3 * random.nextGaussian() + (name.endsWith(".weight") ? 1 : 0));
              }
              array.set(java.nio.FloatBuffer.wrap(values));
            });
  }
}
