package io.cifarserve.classifier.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.cifarserve.classifier.image.ImagePreprocessor;
import io.cifarserve.common.Cifar10;
import io.cifarserve.common.model.ModelMetadata;
import io.cifarserve.common.model.Ranking;
import io.cifarserve.common.testing.TestImages;
import io.cifarserve.common.testing.TestMetadata;
import io.cifarserve.onnxgraph.OnnxGraphBuilder;
import io.cifarserve.onnxgraph.TestModels;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxClassifierTest {

  private static float[] tensorOf(OnnxClassifier classifier, Color... colours) {
    ImagePreprocessor preprocessor = ImagePreprocessor.forModel(classifier.metadata());
    return preprocessor.toBatchTensor(
        java.util.Arrays.stream(colours).map(c -> TestImages.solid(32, 32, c)).toList());
  }

  @Test
  void classifiesABatchAndReadsMetadata(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("model.onnx");
    Files.write(file, TestModels.colourClassifier());

    try (OnnxClassifier classifier = OnnxClassifier.load(file, 1)) {
      float[][] probabilities =
          classifier.probabilities(tensorOf(classifier, Color.RED, Color.GREEN, Color.BLUE), 3);

      assertThat(probabilities).hasNumberOfRows(3);
      assertThat(Ranking.argmax(probabilities[0])).isEqualTo(Cifar10.indexOf("airplane"));
      assertThat(Ranking.argmax(probabilities[1])).isEqualTo(Cifar10.indexOf("automobile"));
      assertThat(Ranking.argmax(probabilities[2])).isEqualTo(Cifar10.indexOf("bird"));
      for (float[] row : probabilities) {
        double sum = 0;
        for (float p : row) {
          sum += p;
        }
        assertThat(sum).isCloseTo(1.0, within(1e-5));
      }
      assertThat(classifier.metadata().trainingData()).isEqualTo(TestMetadata.TRAINING_DATA);
      assertThat(classifier.metadata().labels()).isEqualTo(Cifar10.LABELS);
    }
  }

  @Test
  void logitsMatchTheHandSetWeights() {
    try (OnnxClassifier classifier = OnnxClassifier.load(TestModels.colourClassifier(), 1)) {
      float[] logits = classifier.logits(tensorOf(classifier, Color.RED), 1)[0];

      assertThat(logits[0]).isCloseTo((1f - 0.4914f) / 0.2470f, within(1e-4f));
      assertThat(logits[1]).isCloseTo((0f - 0.4822f) / 0.2435f, within(1e-4f));
      assertThat(logits[9]).isEqualTo(0f);
    }
  }

  @Test
  void refusesATensorOfTheWrongLength() {
    try (OnnxClassifier classifier = OnnxClassifier.load(TestModels.colourClassifier(), 1)) {
      assertThatThrownBy(() -> classifier.logits(new float[3 * 16 * 16], 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("3x32x32");
    }
  }

  @Test
  void classifiesImagesGivenOneTensorEachAsOneBatch() {
    try (OnnxClassifier classifier = OnnxClassifier.load(TestModels.colourClassifier(), 1)) {
      ImagePreprocessor preprocessor = ImagePreprocessor.forModel(classifier.metadata());
      List<float[]> images =
          List.of(
              preprocessor.toTensor(TestImages.solid(32, 32, Color.BLUE)),
              preprocessor.toTensor(TestImages.solid(32, 32, Color.RED)));

      float[][] separately = classifier.logits(images);

      assertThat(separately)
          .isDeepEqualTo(classifier.logits(tensorOf(classifier, Color.BLUE, Color.RED), 2));
      assertThat(Ranking.argmax(separately[0])).isEqualTo(Cifar10.indexOf("bird"));
      assertThat(classifier.logits(List.of())).isEmpty();
      assertThatThrownBy(() -> classifier.logits(List.of(images.get(0), new float[12])))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("image 1 has 12 values");
    }
  }

  @Test
  void servesConcurrentCallersConsistently() throws Exception {
    try (OnnxClassifier classifier = OnnxClassifier.load(TestModels.colourClassifier(), 1)) {
      float[] red = tensorOf(classifier, Color.RED);
      float expected = classifier.logits(red, 1)[0][0];
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<Float>> results = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          results.add(pool.submit(() -> classifier.logits(red, 1)[0][0]));
        }
        for (Future<Float> result : results) {
          assertThat(result.get()).isEqualTo(expected);
        }
      } finally {
        pool.shutdown();
      }
    }
  }

  @Test
  void refusesCallsAfterClose() {
    OnnxClassifier classifier = OnnxClassifier.load(TestModels.colourClassifier(), 1);
    float[] red = tensorOf(classifier, Color.RED);
    classifier.close();
    classifier.close(); // idempotent

    assertThatThrownBy(() -> classifier.logits(red, 1))
        .isInstanceOf(ClassifierClosedException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void refusesBytesThatAreNotAModel() {
    assertThatThrownBy(() -> OnnxClassifier.load(new byte[] {1, 2, 3}, 1))
        .isInstanceOf(InvalidModelException.class);
  }

  @Test
  void refusesAModelWithoutMetadata() {
    OnnxGraphBuilder graph = new OnnxGraphBuilder("bare", 32, 10);
    graph.node("GlobalAveragePool", List.of("input"), "pooled");
    graph.node("Flatten", List.of("pooled"), "logits");

    assertThatThrownBy(() -> OnnxClassifier.load(graph.toBytes(Map.of()), 1))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("model_name");
  }

  @Test
  void refusesAModelWhoseShapeContradictsItsMetadata() {
    ModelMetadata claims16 = TestMetadata.colourClassifierMetadata("1", 16);
    byte[] builtFor32 =
        TestModels.colourClassifier(TestMetadata.colourClassifierMetadata("1", 32))
            .clone(); // graph input 32x32
    byte[] mismatched = rewriteMetadata(builtFor32, claims16);

    assertThatThrownBy(() -> OnnxClassifier.load(mismatched, 1))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("does not match its metadata");
  }

  private static byte[] rewriteMetadata(byte[] model, ModelMetadata metadata) {
    try {
      ai.onnx.proto.OnnxMl.ModelProto.Builder proto =
          ai.onnx.proto.OnnxMl.ModelProto.parseFrom(model).toBuilder().clearMetadataProps();
      metadata
          .toProperties()
          .forEach(
              (k, v) ->
                  proto.addMetadataProps(
                      ai.onnx.proto.OnnxMl.StringStringEntryProto.newBuilder()
                          .setKey(k)
                          .setValue(v)));
      return proto.build().toByteArray();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }
}
