package io.cifarserve.training.evaluate;

import io.cifarserve.common.Cifar10;
import io.cifarserve.common.api.PredictionResponse;
import io.cifarserve.common.image.ImagePreprocessor;
import io.cifarserve.common.onnx.OnnxClassifier;
import io.cifarserve.common.pipeline.ImagePipeline;
import io.cifarserve.training.data.LabeledImages;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** An exported model evaluated as the service runs it: ONNX Runtime and the service's ranking. */
public final class OnnxEvaluation {

  private static final int BATCH = 256;

  private OnnxEvaluation() {}

  /** The classes it predicts for every picture, and their mean cross-entropy. */
  public record Predictions(int[] predicted, double meanLoss) {}

  public static Predictions predict(OnnxClassifier classifier, LabeledImages images) {
    ImagePreprocessor preprocessor = ImagePreprocessor.forModel(classifier.metadata());
    List<String> labels = classifier.metadata().labels();
    int length = preprocessor.imageLength();
    int[] predicted = new int[images.size()];
    double loss = 0;
    for (int start = 0; start < images.size(); start += BATCH) {
      int n = Math.min(BATCH, images.size() - start);
      float[] batch = images.tensor(preprocessor, start, n);
      List<float[]> tensors = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        tensors.add(Arrays.copyOfRange(batch, i * length, (i + 1) * length));
      }
      // All classes ranked, so the true class's probability is there for the loss.
      List<PredictionResponse> ranked = ImagePipeline.rank(tensors, classifier, labels.size());
      for (int i = 0; i < n; i++) {
        PredictionResponse answer = ranked.get(i);
        predicted[start + i] = answer.classIndex();
        String truth = labels.get(images.labels()[start + i]);
        double p =
            answer.topK().stream()
                .filter(c -> c.label().equals(truth))
                .mapToDouble(PredictionResponse.ClassProbability::probability)
                .findFirst()
                .orElse(0);
        loss -= Math.log(Math.max(1e-12, p));
      }
    }
    return new Predictions(predicted, loss / Math.max(1, images.size()));
  }

  /** Runs the whole set through the classifier in batches, by the service's pipeline. */
  public static Evaluation evaluate(OnnxClassifier classifier, LabeledImages test) {
    Predictions predictions = predict(classifier, test);
    return Evaluation.of(
        test.labels(), predictions.predicted(), predictions.meanLoss(), Cifar10.LABELS);
  }
}
