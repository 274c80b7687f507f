package io.cifarserve.benchmarks.inprocess;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import io.cifarserve.classifier.onnx.OrtEnvironments;
import io.cifarserve.common.model.ModelSignature;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * ONNX Runtime session settings for the float model: the service's own (every core, one inter-op
 * thread, every graph optimisation, spinning) against one changed setting at a time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SessionSettings {

  /** The settings tried; the first is the service's. */
  public enum Setting {
    SERVICE("service: all cores, all optimisations, spinning", 0, OptLevel.ALL_OPT, true),
    NO_SPINNING("no spinning", 0, OptLevel.ALL_OPT, false),
    ONE_THREAD("one intra-op thread", 1, OptLevel.ALL_OPT, true),
    EXTENDED("extended optimisations (no NCHWc layout)", 0, OptLevel.EXTENDED_OPT, true),
    BASIC("basic optimisations", 0, OptLevel.BASIC_OPT, true);

    public final String description;
    final int intraOpThreads;
    final OptLevel level;
    final boolean spinning;

    Setting(String description, int intraOpThreads, OptLevel level, boolean spinning) {
      this.description = description;
      this.intraOpThreads = intraOpThreads;
      this.level = level;
      this.spinning = spinning;
    }
  }

  @Param({"models/cifar10-resnet18.onnx"})
  public String model;

  @Param({"SERVICE", "NO_SPINNING", "ONE_THREAD", "EXTENDED", "BASIC"})
  public Setting setting;

  @Param({"1", "32"})
  public int batch;

  private OrtSession session;
  private OnnxTensor tensor;
  private Map<String, OnnxTensor> inputs;

  @Setup
  public void open() throws Exception {
    OrtEnvironment env = OrtEnvironments.get();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(setting.intraOpThreads);
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(setting.level);
      options.addConfigEntry("session.intra_op.allow_spinning", setting.spinning ? "1" : "0");
      session = env.createSession(Files.readAllBytes(Path.of(model)), options);
    }
    float[] data = new float[batch * 3 * 32 * 32];
    Random random = new Random(1);
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) random.nextGaussian();
    }
    tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), new long[] {batch, 3, 32, 32});
    inputs = Map.of(ModelSignature.INPUT, tensor);
  }

  @Benchmark
  public void run() throws OrtException {
    session.run(inputs).close();
  }

  @TearDown
  public void close() throws OrtException {
    tensor.close();
    session.close();
  }
}
