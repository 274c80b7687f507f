package io.cifarserve.benchmarks.inprocess;

import io.cifarserve.benchmarks.Pictures;
import io.cifarserve.classifier.image.ImagePreprocessor;
import io.cifarserve.classifier.onnx.OnnxClassifier;
import java.awt.Color;
import java.nio.file.Path;
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
 * The shipped models in process, as the service runs them ({@link OnnxClassifier}: every core, the
 * service's session settings): one batch of pictures to calibrated probabilities. Calls per second
 * times {@code batch} is pictures per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ClassifierThroughput {

  @Param({"models"})
  public String models;

  @Param({"cifar10-resnet18.onnx", "cifar10-resnet18-int8.onnx"})
  public String model;

  @Param({"1", "32"})
  public int batch;

  private OnnxClassifier classifier;
  private float[] tensor;

  @Setup
  public void load() {
    classifier = OnnxClassifier.load(Path.of(models, model), 0);
    ImagePreprocessor preprocessor = ImagePreprocessor.forModel(classifier.metadata());
    tensor = new float[batch * preprocessor.imageLength()];
    for (int i = 0; i < batch; i++) {
      preprocessor.writeTensor(
          Pictures.solid(32, 32, new Color(i * 7 % 256, 90, 200)),
          tensor,
          i * preprocessor.imageLength());
    }
  }

  @Benchmark
  public float[][] classify() {
    return classifier.probabilities(tensor, batch);
  }

  @TearDown
  public void close() {
    classifier.close();
  }
}
