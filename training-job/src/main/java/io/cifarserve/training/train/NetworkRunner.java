package io.cifarserve.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.cifarserve.classifier.image.ImagePreprocessor;
import io.cifarserve.common.model.Ranking;
import io.cifarserve.training.data.LabeledImages;
import io.cifarserve.training.model.ResNet18;
import io.cifarserve.training.model.TestTimeAugmentation;
import java.util.Set;
import java.util.TreeSet;

/** Runs a DJL network in inference mode over tensors or whole datasets. */
public final class NetworkRunner {

  private static final int EVAL_BATCH = 250;

  private final ResNet18 net;
  private final NDManager manager;
  private final ImagePreprocessor preprocessor;
  private final ParameterStore parameterStore;
  private final TestTimeAugmentation augmentation;

  public NetworkRunner(ResNet18 net, NDManager manager, ImagePreprocessor preprocessor) {
    this(net, manager, preprocessor, TestTimeAugmentation.NONE);
  }

  /** A runner that predicts as a model exported with {@code augmentation} does. */
  public NetworkRunner(
      ResNet18 net,
      NDManager manager,
      ImagePreprocessor preprocessor,
      TestTimeAugmentation augmentation) {
    this.net = net;
    this.manager = manager;
    this.preprocessor = preprocessor;
    this.parameterStore = new ParameterStore(manager, false);
    this.augmentation = augmentation;
  }

  /** The batch sizes the network sees when this runner predicts {@code images} pictures. */
  public Set<Integer> batchSizes(int images) {
    int views = augmentation == TestTimeAugmentation.HORIZONTAL_FLIP ? 2 : 1;
    Set<Integer> sizes = new TreeSet<>();
    if (images > 0) {
      sizes.add(views * Math.min(EVAL_BATCH, images));
    }
    if (images % EVAL_BATCH != 0) {
      sizes.add(views * (images % EVAL_BATCH));
    }
    return sizes;
  }

  /** Logits for {@code n} images given as one NCHW tensor. */
  public float[][] logits(float[] nchw, int n) {
    return viewLogits(nchw, n).averaged();
  }

  /** Predicted class and cross-entropy loss for every image. */
  public Predictions predict(LabeledImages data) {
    return predictWithSingleView(data).predictions();
  }

  /**
   * Predictions as the exported model makes them, and from the first pass alone (the pictures as
   * given), taken from the same forward passes so the single-pass figure costs nothing extra.
   */
  public PredictionsWithSingleView predictWithSingleView(LabeledImages data) {
    Scores model = new Scores(data.labels());
    // Without augmentation the single pass is the model's prediction: score it once.
    Scores singleView =
        augmentation == TestTimeAugmentation.NONE ? model : new Scores(data.labels());
    for (int start = 0; start < data.size(); start += EVAL_BATCH) {
      int n = Math.min(EVAL_BATCH, data.size() - start);
      ViewLogits batch = viewLogits(data.tensor(preprocessor, start, n), n);
      model.add(start, batch.averaged());
      if (singleView != model) {
        singleView.add(start, batch.asGiven());
      }
    }
    return new PredictionsWithSingleView(model.predictions(), singleView.predictions());
  }

  private ViewLogits viewLogits(float[] nchw, int n) {
    int side = preprocessor.inputSize();
    boolean flip = augmentation == TestTimeAugmentation.HORIZONTAL_FLIP;
    try (NDScope scope = new NDScope()) {
      NDArray x = manager.create(nchw, new Shape(n, 3, side, side));
      if (flip) {
        x = NDArrays.concat(new NDList(x, x.flip(3)), 0);
      }
      NDArray out = net.block().forward(parameterStore, new NDList(x), false).singletonOrThrow();
      NDArray given = out.get("0:" + n);
      float[][] asGiven = rows(given);
      return new ViewLogits(asGiven, flip ? rows(given.add(out.get(n + ":")).div(2)) : asGiven);
    }
  }

  private static float[][] rows(NDArray logits) {
    float[] flat = logits.toFloatArray();
    int n = (int) logits.getShape().get(0);
    int classes = (int) logits.getShape().get(1);
    float[][] rows = new float[n][classes];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, i * classes, rows[i], 0, classes);
    }
    return rows;
  }

  /** A batch's logits from the pictures as given, and as the model predicts (over all views). */
  private record ViewLogits(float[][] asGiven, float[][] averaged) {}

  /** Running argmax and cross-entropy over a dataset's batches. */
  private static final class Scores {
    private final int[] labels;
    private final int[] predicted;
    private double lossSum;

    Scores(int[] labels) {
      this.labels = labels;
      this.predicted = new int[labels.length];
    }

    void add(int start, float[][] logits) {
      for (int i = 0; i < logits.length; i++) {
        predicted[start + i] = Ranking.argmax(logits[i]);
        lossSum += crossEntropy(logits[i], labels[start + i]);
      }
    }

    Predictions predictions() {
      return new Predictions(predicted, lossSum / Math.max(1, labels.length));
    }
  }

  private static double crossEntropy(float[] logits, int label) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : logits) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (float v : logits) {
      sum += Math.exp(v - max);
    }
    return Math.log(sum) + max - logits[label];
  }

  /** {@code predictions} as the model makes them; {@code singleView} from one pass per picture. */
  public record PredictionsWithSingleView(Predictions predictions, Predictions singleView) {}

  /** Predictions for a dataset and the mean loss. */
  public record Predictions(int[] predicted, double meanLoss) {

    public double accuracy(int[] labels) {
      int correct = 0;
      for (int i = 0; i < labels.length; i++) {
        if (predicted[i] == labels[i]) {
          correct++;
        }
      }
      return labels.length == 0 ? 0 : (double) correct / labels.length;
    }
  }
}
