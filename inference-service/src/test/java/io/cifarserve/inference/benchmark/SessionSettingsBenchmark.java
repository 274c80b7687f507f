package io.cifarserve.inference.benchmark;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import io.cifarserve.classifier.onnx.OrtEnvironments;
import io.cifarserve.common.model.ModelSignature;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime session settings for the shipped float model, in process, in one run: the service's
 * settings (intra-op threads 0 = every core, one inter-op thread, every graph optimisation) against
 * one changed setting at a time. Run with {@code -Dtest=SessionSettingsBenchmark}.
 */
@Tag("benchmark")
class SessionSettingsBenchmark {

  private record Setting(String name, int intraOp, OptLevel level, boolean spinning) {}

  private static final Setting[] SETTINGS = {
    new Setting("service: all cores, all optimisations, spinning", 0, OptLevel.ALL_OPT, true),
    new Setting("no spinning", 0, OptLevel.ALL_OPT, false),
    new Setting("one intra-op thread", 1, OptLevel.ALL_OPT, true),
    new Setting("extended optimisations (no NCHWc layout)", 0, OptLevel.EXTENDED_OPT, true),
    new Setting("basic optimisations", 0, OptLevel.BASIC_OPT, true),
  };

  @Test
  void measure() throws Exception {
    byte[] model;
    try (InputStream in = getClass().getResourceAsStream("/models/cifar10-resnet18.onnx")) {
      model = in.readAllBytes();
    }
    OrtEnvironment env = OrtEnvironments.get();
    StringBuilder report =
        new StringBuilder("| setting | batch 1 images/s | ratio | batch 32 images/s | ratio |\n");
    report.append("|---|---:|---:|---:|---:|\n");
    double[] base = new double[2];
    for (Setting setting : SETTINGS) {
      try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
        options.setIntraOpNumThreads(setting.intraOp());
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(setting.level());
        options.addConfigEntry("session.intra_op.allow_spinning", setting.spinning() ? "1" : "0");
        try (OrtSession session = env.createSession(model, options)) {
          double[] rates = {rate(env, session, 1), rate(env, session, 32)};
          if (base[0] == 0) {
            base = rates;
          }
          report.append(
              "| %s | %.0f | %.2f | %.0f | %.2f |%n"
                  .formatted(
                      setting.name(), rates[0], rates[0] / base[0], rates[1], rates[1] / base[1]));
        }
      }
    }
    System.out.println("\n" + report);
  }

  private static double rate(OrtEnvironment env, OrtSession session, int batch) throws Exception {
    float[] data = new float[batch * 3 * 32 * 32];
    Random random = new Random(1);
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) random.nextGaussian();
    }
    try (OnnxTensor tensor =
        OnnxTensor.createTensor(env, FloatBuffer.wrap(data), new long[] {batch, 3, 32, 32})) {
      Map<String, OnnxTensor> inputs = Map.of(ModelSignature.INPUT, tensor);
      long warm = System.nanoTime() + 2_000_000_000L;
      while (System.nanoTime() < warm) {
        session.run(inputs).close();
      }
      long images = 0;
      long start = System.nanoTime();
      long end = start + 6_000_000_000L;
      while (System.nanoTime() < end) {
        session.run(inputs).close();
        images += batch;
      }
      return images / ((System.nanoTime() - start) / 1e9);
    }
  }
}
