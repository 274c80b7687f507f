package io.cifarserve.training.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SgdTest {

  @Test
  void followsPytorchsNesterovMomentumWithWeightDecayOnWeightsOnly() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Parameter kernel = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
      kernel.setArray(manager.create(new float[] {1f, -2f, 3f, 0.5f}, new Shape(2, 2)));
      Parameter bias = Parameter.builder().setName("b").setType(Parameter.Type.BIAS).build();
      bias.setArray(manager.create(new float[] {0.25f, -0.75f}));
      kernel.getArray().setRequiresGradient(true);
      bias.getArray().setRequiresGradient(true);
      Map<String, Parameter> parameters = new LinkedHashMap<>();
      parameters.put("w", kernel);
      parameters.put("b", bias);
      Sgd sgd = new Sgd(parameters, manager, 0.9f, true, 0.1f);
      float[] c = {0.5f, -1f, 2f, 1f};
      float[] d = {1f, 2f};
      double lr = 0.1;
      double[] w = {1, -2, 3, 0.5};
      double[] b = {0.25, -0.75};
      double[] bufW = new double[4];
      double[] bufB = new double[2];

      for (int step = 0; step < 3; step++) {
        // Loss sum(c * w) + sum(d * b): its gradients are c and d.
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray loss =
              kernel
                  .getArray()
                  .mul(manager.create(c, new Shape(2, 2)))
                  .sum()
                  .add(bias.getArray().mul(manager.create(d)).sum());
          collector.backward(loss);
        }
        sgd.step(lr);
        for (int i = 0; i < 4; i++) {
          double g = c[i] + 0.1 * w[i];
          bufW[i] = 0.9 * bufW[i] + g;
          w[i] -= lr * (g + 0.9 * bufW[i]);
        }
        for (int i = 0; i < 2; i++) {
          double g = d[i];
          bufB[i] = 0.9 * bufB[i] + g;
          b[i] -= lr * (g + 0.9 * bufB[i]);
        }
      }

      float[] actualW = kernel.getArray().toFloatArray();
      float[] actualB = bias.getArray().toFloatArray();
      for (int i = 0; i < 4; i++) {
        assertThat((double) actualW[i]).isCloseTo(w[i], within(1e-5));
      }
      for (int i = 0; i < 2; i++) {
        assertThat((double) actualB[i]).isCloseTo(b[i], within(1e-5));
      }
      assertThat(kernel.getArray().getGradient().toFloatArray()).containsOnly(0f);
    }
  }
}
