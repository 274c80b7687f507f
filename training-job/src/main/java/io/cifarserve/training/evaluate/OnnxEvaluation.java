package io.cifarserve.training.evaluate;

import io.cifarserve.classifier.image.ImagePreprocessor;
import io.cifarserve.classifier.onnx.OnnxClassifier;
import io.cifarserve.common.Cifar10;
import io.cifarserve.common.api.PredictionResponse;
import io.cifarserve.common.model.ModelMetadata;
import io.cifarserve.training.data.LabeledImages;
import java.util.List;

/**
 * An exported model evaluated as the service runs it: ONNX Runtime and the service's ranking under
 * the model's calibration.
 */
public final class OnnxEvaluation {

  private static final int BATCH = 256;

  private OnnxEvaluation() {}

  /** The classes it predicts for every picture, and their mean cross-entropy. */
  public record Predictions(int[] predicted, double meanLoss) {}

  /** The model's logits for every picture, run in batches. */
  public static float[][] logits(OnnxClassifier classifier, LabeledImages images) {
    ImagePreprocessor preprocessor = ImagePreprocessor.forModel(classifier.metadata());
    float[][] logits = new float[images.size()][];
    for (int start = 0; start < images.size(); start += BATCH) {
      int n = Math.min(BATCH, images.size() - start);
      float[][] rows = classifier.logits(images.tensor(preprocessor, start, n), n);
      System.arraycopy(rows, 0, logits, start, n);
    }
    return logits;
  }

  public static Predictions predict(OnnxClassifier classifier, LabeledImages images) {
    return predictions(logits(classifier, images), classifier.metadata(), images.labels());
  }

  /** The predictions for logits already computed, ranked under the model's calibration. */
  public static Predictions predictions(float[][] logits, ModelMetadata metadata, int[] truth) {
    List<String> labels = metadata.labels();
    int[] predicted = new int[logits.length];
    double loss = 0;
    for (int i = 0; i < logits.length; i++) {
      // All classes ranked, so the true class's probability is there for the loss.
      PredictionResponse answer = PredictionResponse.rank(logits[i], metadata, labels.size(), 0);
      predicted[i] = answer.classIndex();
      String label = labels.get(truth[i]);
      double p =
          answer.topK().stream()
              .filter(c -> c.label().equals(label))
              .mapToDouble(PredictionResponse.ClassProbability::probability)
              .findFirst()
              .orElse(0);
      loss -= Math.log(Math.max(1e-12, p));
    }
    return new Predictions(predicted, loss / Math.max(1, logits.length));
  }

  /** Runs the whole set through the classifier in batches, by the service's pipeline. */
  public static Evaluation evaluate(OnnxClassifier classifier, LabeledImages test) {
    Predictions predictions = predict(classifier, test);
    return Evaluation.of(
        test.labels(), predictions.predicted(), predictions.meanLoss(), Cifar10.LABELS);
  }
}
