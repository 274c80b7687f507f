package io.cifarserve.training.calibrate;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.cifarserve.classifier.image.ImagePreprocessor;
import io.cifarserve.classifier.onnx.OnnxClassifier;
import io.cifarserve.classifier.pipeline.ImagePipeline;
import io.cifarserve.common.Cifar10;
import io.cifarserve.common.model.Calibration;
import io.cifarserve.common.model.ModelMetadata;
import io.cifarserve.training.data.CifarSplit;
import io.cifarserve.training.data.Datasets;
import io.cifarserve.training.data.LabeledImages;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Does a feature-space score add to the shipped model's unsure score (issue #32, item 5)? Measures
 * Mahalanobis distance on the 512 penultimate features (class means and a shared covariance from
 * training pictures) against the shipped calibrated score, alone and combined, each with the
 * shipped rule: the threshold keeps 95% of correct test pictures confident. Anything chosen (the
 * combination's weight) is chosen on the outliers-validation set; the ood-eval set is only reported.
 *
 * <p>Run from the repository root after {@code ./mvnw -pl training-job -am package -DskipTests}:
 * scripts/measurements/feature-score.sh MODEL DATA_DIR VALIDATION_DIR EVAL_DIR
 */
public final class FeatureScoreMeasurement {

  private static final int TRAIN_STRIDE = 2;
  private static final int BATCH = 64;

  public static void main(String[] args) throws Exception {
    Path modelFile = Path.of(args[0]);
    CifarSplit data = Datasets.read(Path.of(args[1]));
    PictureSet validation = PictureSet.read(Path.of(args[2]));
    PictureSet evaluation = PictureSet.read(Path.of(args[3]));
    byte[] model = Files.readAllBytes(modelFile);
    ModelMetadata metadata;
    try (OnnxClassifier classifier = OnnxClassifier.load(model, 0)) {
      metadata = classifier.metadata();
    }
    Calibration shipped = metadata.calibration();
    ImagePreprocessor preprocessor = ImagePreprocessor.forModel(metadata);
    try (OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = env.createSession(withFeatures(model), new OrtSession.SessionOptions())) {
      Run run = new Run(env, session, preprocessor);
      long started = System.nanoTime();
      Outputs train = run.images(subset(data.train(), TRAIN_STRIDE));
      Outputs test = run.images(data.test());
      Outputs val = run.pictures(validation.allFiles());
      Outputs eval = run.pictures(evaluation.allFiles());
      System.out.printf("features of %d train, %d test, %d validation, %d evaluation pictures in %.0f s%n",
          train.logits.length, test.logits.length, val.logits.length, eval.logits.length,
          (System.nanoTime() - started) / 1e9);

      Mahalanobis maha = Mahalanobis.fit(train.features, subset(data.train(), TRAIN_STRIDE).labels(), 10);
      double[] shippedTest = score(shipped, test.logits);
      double[] mahaTest = maha.confidence(test.features);
      boolean[] correct = correct(test.logits, data.test().labels());
      Map<String, double[][]> scores = new java.util.LinkedHashMap<>();
      scores.put("shipped (" + shipped.score().id() + ", T=" + round(shipped.temperature()) + ")",
          new double[][] {shippedTest, score(shipped, val.logits), score(shipped, eval.logits)});
      scores.put("mahalanobis",
          new double[][] {mahaTest, maha.confidence(val.features), maha.confidence(eval.features)});
      // z-scored on the test set, combined with a weight chosen by AUROC on the validation set
      double[] zs = zParams(shippedTest);
      double[] zm = zParams(mahaTest);
      double bestWeight = 0;
      double bestAuroc = -1;
      for (int step = 0; step <= 20; step++) {
        double w = step / 10.0;
        double a = TrustAnalysis.auroc(
            combine(shippedTest, mahaTest, zs, zm, w),
            combine(scores.get(first(scores))[1], scores.get("mahalanobis")[1], zs, zm, w));
        System.out.printf("  weight %.1f: validation AUROC %.4f%n", w, a);
        if (a > bestAuroc) {
          bestAuroc = a;
          bestWeight = w;
        }
      }
      double w = bestWeight;
      scores.put("combined (weight " + w + ", chosen on validation)",
          new double[][] {
            combine(shippedTest, mahaTest, zs, zm, w),
            combine(scores.get(first(scores))[1], scores.get("mahalanobis")[1], zs, zm, w),
            combine(scores.get(first(scores))[2], maha.confidence(eval.features), zs, zm, w)});
      System.out.println("| score | test flagged | validation flagged | validation AUROC | evaluation flagged | evaluation AUROC |");
      System.out.println("|---|---:|---:|---:|---:|---:|");
      for (var entry : scores.entrySet()) {
        double[][] s = entry.getValue();
        double cut = TrustAnalysis.scoreKeeping(select(s[0], correct), 0.95);
        System.out.printf("| %s | %.1f%% | %.1f%% | %.3f | %.1f%% (%d/%d) | %.3f |%n",
            entry.getKey(), 100 * below(s[0], cut), 100 * below(s[1], cut),
            TrustAnalysis.auroc(s[0], s[1]), 100 * below(s[2], cut),
            Math.round(below(s[2], cut) * s[2].length), s[2].length, TrustAnalysis.auroc(s[0], s[2]));
      }
    }
  }

  private static String first(Map<String, double[][]> scores) {
    return scores.keySet().iterator().next();
  }

  private static String round(double v) {
    return "%.3f".formatted(v);
  }

  record Outputs(float[][] logits, double[][] features) {}

  /** The model with its pooled features ("flatten", both views) as a second output. */
  static byte[] withFeatures(byte[] model) throws Exception {
    OnnxMl.ModelProto proto = OnnxMl.ModelProto.parseFrom(model);
    OnnxMl.ValueInfoProto output = OnnxMl.ValueInfoProto.newBuilder().setName("flatten")
        .setType(OnnxMl.TypeProto.newBuilder().setTensorType(
            OnnxMl.TypeProto.Tensor.newBuilder().setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())))
        .build();
    return proto.toBuilder().setGraph(proto.getGraph().toBuilder().addOutput(output)).build().toByteArray();
  }

  static final class Run {
    final OrtEnvironment env;
    final OrtSession session;
    final ImagePreprocessor preprocessor;

    Run(OrtEnvironment env, OrtSession session, ImagePreprocessor preprocessor) {
      this.env = env;
      this.session = session;
      this.preprocessor = preprocessor;
    }

    Outputs images(LabeledImages images) throws Exception {
      List<float[]> tensors = new ArrayList<>();
      for (int i = 0; i < images.size(); i += BATCH) {
        int n = Math.min(BATCH, images.size() - i);
        tensors.add(images.tensor(preprocessor, i, n));
      }
      return run(tensors);
    }

    Outputs pictures(List<Path> files) throws Exception {
      ImagePipeline pipeline = new ImagePipeline(50_000_000);
      List<float[]> tensors = new ArrayList<>();
      for (Path file : files) {
        try {
          tensors.add(pipeline.tensor(Files.readAllBytes(file), preprocessor));
        } catch (Exception e) {
          System.out.println("skipping " + file + ": " + e.getMessage());
        }
      }
      return run(tensors);
    }

    private Outputs run(List<float[]> batches) throws Exception {
      int per = preprocessor.imageLength();
      List<float[]> logits = new ArrayList<>();
      List<double[]> features = new ArrayList<>();
      for (float[] batch : batches) {
        int n = batch.length / per;
        long[] shape = {n, 3, preprocessor.inputSize(), preprocessor.inputSize()};
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(batch), shape);
            OrtSession.Result result = session.run(Map.of("input", input))) {
          float[][] l = (float[][]) result.get("logits").get().getValue();
          float[][] f = (float[][]) result.get("flatten").get().getValue();
          int views = f.length / n;
          for (int i = 0; i < n; i++) {
            logits.add(l[i]);
            double[] mean = new double[f[0].length];
            for (int v = 0; v < views; v++) {
              for (int k = 0; k < mean.length; k++) {
                mean[k] += f[v * n + i][k] / views;
              }
            }
            features.add(mean);
          }
        }
      }
      return new Outputs(logits.toArray(new float[0][]), features.toArray(new double[0][]));
    }
  }

  /** Class means and the inverse of a shared covariance; confidence = -min distance. */
  record Mahalanobis(double[][] means, double[][] precision) {

    static Mahalanobis fit(double[][] x, int[] labels, int classes) {
      int d = x[0].length;
      double[][] means = new double[classes][d];
      int[] counts = new int[classes];
      for (int i = 0; i < x.length; i++) {
        counts[labels[i]]++;
        for (int k = 0; k < d; k++) {
          means[labels[i]][k] += x[i][k];
        }
      }
      for (int c = 0; c < classes; c++) {
        for (int k = 0; k < d; k++) {
          means[c][k] /= counts[c];
        }
      }
      double[][] cov = new double[d][d];
      for (int i = 0; i < x.length; i++) {
        double[] r = new double[d];
        for (int k = 0; k < d; k++) {
          r[k] = x[i][k] - means[labels[i]][k];
        }
        for (int a = 0; a < d; a++) {
          for (int b = a; b < d; b++) {
            cov[a][b] += r[a] * r[b];
          }
        }
      }
      double trace = 0;
      for (int a = 0; a < d; a++) {
        for (int b = a; b < d; b++) {
          cov[a][b] /= x.length;
          cov[b][a] = cov[a][b];
        }
        trace += cov[a][a];
      }
      for (int a = 0; a < d; a++) {
        cov[a][a] += 1e-6 * trace / d; // a little shrinkage: dead ReLU features have no variance
      }
      return new Mahalanobis(means, invert(cov));
    }

    double[] confidence(double[][] x) {
      double[] out = new double[x.length];
      int d = precision.length;
      for (int i = 0; i < x.length; i++) {
        double best = Double.POSITIVE_INFINITY;
        for (double[] mean : means) {
          double[] r = new double[d];
          for (int k = 0; k < d; k++) {
            r[k] = x[i][k] - mean[k];
          }
          double dist = 0;
          for (int a = 0; a < d; a++) {
            double row = 0;
            for (int b = 0; b < d; b++) {
              row += precision[a][b] * r[b];
            }
            dist += r[a] * row;
          }
          best = Math.min(best, dist);
        }
        out[i] = -best;
      }
      return out;
    }

    static double[][] invert(double[][] m) {
      int n = m.length;
      double[][] a = new double[n][2 * n];
      for (int i = 0; i < n; i++) {
        System.arraycopy(m[i], 0, a[i], 0, n);
        a[i][n + i] = 1;
      }
      for (int c = 0; c < n; c++) {
        int pivot = c;
        for (int r = c + 1; r < n; r++) {
          if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
            pivot = r;
          }
        }
        double[] t = a[c];
        a[c] = a[pivot];
        a[pivot] = t;
        double p = a[c][c];
        for (int k = 0; k < 2 * n; k++) {
          a[c][k] /= p;
        }
        for (int r = 0; r < n; r++) {
          if (r != c && a[r][c] != 0) {
            double f = a[r][c];
            for (int k = 0; k < 2 * n; k++) {
              a[r][k] -= f * a[c][k];
            }
          }
        }
      }
      double[][] inv = new double[n][n];
      for (int i = 0; i < n; i++) {
        System.arraycopy(a[i], n, inv[i], 0, n);
      }
      return inv;
    }
  }

  static LabeledImages subset(LabeledImages all, int stride) {
    int[] idx = new int[(all.size() + stride - 1) / stride];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i * stride;
    }
    return all.select(idx);
  }

  static double[] score(Calibration calibration, float[][] logits) {
    double[] s = new double[logits.length];
    for (int i = 0; i < logits.length; i++) {
      s[i] = calibration.score(logits[i]);
    }
    return s;
  }

  static boolean[] correct(float[][] logits, int[] labels) {
    boolean[] c = new boolean[logits.length];
    for (int i = 0; i < logits.length; i++) {
      int best = 0;
      for (int k = 1; k < logits[i].length; k++) {
        if (logits[i][k] > logits[i][best]) {
          best = k;
        }
      }
      c[i] = best == labels[i];
    }
    return c;
  }

  static double[] select(double[] s, boolean[] keep) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < s.length; i++) {
      if (keep[i]) {
        out.add(s[i]);
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  static double below(double[] s, double cut) {
    int n = 0;
    for (double v : s) {
      n += v < cut ? 1 : 0;
    }
    return (double) n / s.length;
  }

  static double[] zParams(double[] s) {
    double mean = java.util.Arrays.stream(s).average().orElse(0);
    double var = java.util.Arrays.stream(s).map(v -> (v - mean) * (v - mean)).average().orElse(1);
    return new double[] {mean, Math.sqrt(var)};
  }

  static double[] combine(double[] a, double[] b, double[] za, double[] zb, double w) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = (a[i] - za[0]) / za[1] + w * (b[i] - zb[0]) / zb[1];
    }
    return out;
  }
}
