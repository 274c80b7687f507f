package io.cifarserve.training.calibrate;

import io.cifarserve.classifier.image.ImageDecodingException;
import io.cifarserve.classifier.image.ImagePreprocessor;
import io.cifarserve.classifier.onnx.OnnxClassifier;
import io.cifarserve.classifier.pipeline.ImagePipeline;
import io.cifarserve.common.model.Calibration;
import io.cifarserve.common.model.ModelMetadata;
import io.cifarserve.onnxgraph.OnnxGraphBuilder;
import io.cifarserve.training.data.LabeledImages;
import io.cifarserve.training.evaluate.OnnxEvaluation;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calibrates an exported model: runs it with ONNX Runtime on the test pictures, on photographs of
 * other things and on made-up pictures, lets {@link TrustAnalysis} choose its temperature and
 * unsure threshold, and writes them into the model's metadata with the figures and card section
 * that report them.
 */
public final class Calibrator {

  public static final String REPORT_FILE = "calibration.json";
  public static final String RELIABILITY_CHART = "reliability.png";
  public static final String RISK_COVERAGE_CHART = "risk-coverage.png";

  /** Photographs are decoded as the service decodes uploads; larger ones are skipped. */
  private static final long MAX_PIXELS = 50_000_000;

  private final PrintStream out;
  private final Path evaluationDir;

  public Calibrator(PrintStream out) {
    this(out, null);
  }

  /**
   * @param evaluationDir pictures of other things to report on, source by source, after the
   *     calibration is fixed (never used to choose anything), or null
   */
  public Calibrator(PrintStream out, Path evaluationDir) {
    this.out = out;
    this.evaluationDir = evaluationDir;
  }

  /**
   * The calibrated model file, its metadata and what was measured.
   *
   * @param outliers the figures on the evaluation pictures of other things, or null without them
   */
  public record Outcome(
      byte[] model,
      ModelMetadata metadata,
      TrustReport report,
      OutlierEvaluation.Report outliers) {}

  /**
   * @param model an exported ONNX model, calibrated or not (its raw logits are used)
   * @param test labelled pictures the model never trained on
   * @param outOfDistributionDir photographs of none of the classes, or null
   */
  public Outcome calibrate(byte[] model, LabeledImages test, Path outOfDistributionDir) {
    try (OnnxClassifier classifier = OnnxClassifier.load(model, 0)) {
      return calibrate(
          model, classifier, OnnxEvaluation.logits(classifier, test), test, outOfDistributionDir);
    }
  }

  /**
   * As {@link #calibrate(byte[], LabeledImages, Path)}, with the model's logits for {@code test}
   * already computed (by a caller that evaluated the same model on them).
   */
  public Outcome calibrate(
      byte[] model, float[][] testLogits, LabeledImages test, Path outOfDistributionDir) {
    try (OnnxClassifier classifier = OnnxClassifier.load(model, 0)) {
      return calibrate(model, classifier, testLogits, test, outOfDistributionDir);
    }
  }

  private Outcome calibrate(
      byte[] model,
      OnnxClassifier classifier,
      float[][] testLogits,
      LabeledImages test,
      Path outOfDistributionDir) {
    ModelMetadata metadata = classifier.metadata();
    ImagePreprocessor preprocessor = ImagePreprocessor.forModel(metadata);
    out.printf("calibrating on %,d test pictures%n", test.size());
    List<float[]> photos =
        outOfDistributionDir == null
            ? List.of()
            : tensors(PictureSet.pictures(outOfDistributionDir), preprocessor);
    float[][] photoLogits = classifier.logits(photos);
    List<TrustAnalysis.Probe> probes = new ArrayList<>();
    for (Map.Entry<String, BufferedImage> probe : probes(metadata.inputSize()).entrySet()) {
      float[] tensor = preprocessor.toTensor(probe.getValue());
      probes.add(new TrustAnalysis.Probe(probe.getKey(), classifier.logits(List.of(tensor))[0]));
    }
    TrustReport report = TrustAnalysis.analyse(testLogits, test.labels(), photoLogits, probes);
    Map<String, Double> metrics = new LinkedHashMap<>(metadata.metrics());
    metrics.putAll(report.asModelMetrics());
    String card = TrustCard.apply(metadata.modelCard(), report, describe(outOfDistributionDir));
    OutlierEvaluation.Report outliers = null;
    if (evaluationDir != null) {
      PictureSet evaluationSet = PictureSet.read(evaluationDir);
      outliers = evaluate(classifier, preprocessor, evaluationSet, report.shipped(), testLogits);
      metrics.putAll(outliers.asModelMetrics());
      card = OutlierCard.apply(card, outliers, evaluationSet.provenance(evaluationDir));
    }
    ModelMetadata calibrated = metadata.withCalibration(report.shipped(), metrics, card);
    out.printf(
        Locale.ROOT,
        "temperature %.3f: ECE %.2f%% -> %.2f%%; unsure when %s < %.4f: %.1f%% of test"
            + " pictures%s%n",
        report.temperature(),
        100 * report.before().ece(),
        100 * report.after().ece(),
        report.shipped().score().id(),
        report.shipped().threshold(),
        100 * report.chosen().testFlagged(),
        report.chosen().outOfDistributionFlagged() == null
            ? ""
            : ", %.1f%% of %d photographs"
                .formatted(100 * report.chosen().outOfDistributionFlagged(), photos.size()));
    return new Outcome(
        OnnxGraphBuilder.withMetadata(model, calibrated.toProperties()),
        calibrated,
        report,
        outliers);
  }

  private OutlierEvaluation.Report evaluate(
      OnnxClassifier classifier,
      ImagePreprocessor preprocessor,
      PictureSet evaluationSet,
      Calibration shipped,
      float[][] testLogits) {
    List<OutlierEvaluation.Source> sources = new ArrayList<>();
    for (PictureSet.Group group : evaluationSet.groups()) {
      float[][] logits = classifier.logits(tensors(group.files(), preprocessor));
      sources.add(new OutlierEvaluation.Source(group.source(), group.role(), logits));
    }
    OutlierEvaluation.Report report = OutlierEvaluation.evaluate(shipped, testLogits, sources);
    out.printf(
        Locale.ROOT,
        "pictures of other things: %d, %.1f%% unsure, AUROC %.3f, FPR at 95%% TPR %.1f%%%n",
        report.all().pictures(),
        100 * report.all().flagged(),
        report.all().auroc(),
        100 * report.all().fprAt95Tpr());
    return report;
  }

  /** Writes the report and its two charts into a run folder. */
  public static void writeReport(TrustReport report, JsonMapper json, Path dir) {
    try {
      Files.createDirectories(dir);
      json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(REPORT_FILE).toFile(), report);
      TrustCharts.reliability(report, dir.resolve(RELIABILITY_CHART));
      TrustCharts.riskCoverage(report, dir.resolve(RISK_COVERAGE_CHART));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the calibration report into " + dir, e);
    }
  }

  private List<float[]> tensors(List<Path> files, ImagePreprocessor preprocessor) {
    ImagePipeline pipeline = new ImagePipeline(MAX_PIXELS);
    List<float[]> tensors = new ArrayList<>();
    for (Path file : files) {
      try {
        tensors.add(pipeline.tensor(Files.readAllBytes(file), preprocessor));
      } catch (IOException | ImageDecodingException e) {
        out.println("skipping " + file + ": " + e.getMessage());
      }
    }
    return tensors;
  }

  /** Made-up pictures no class fits: they should be answered unsure. */
  static Map<String, BufferedImage> probes(int size) {
    Map<String, BufferedImage> probes = new LinkedHashMap<>();
    BufferedImage noise = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(19);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        noise.setRGB(x, y, random.nextInt(1 << 24));
      }
    }
    probes.put("Pure noise (%dx%d, uniform RGB)".formatted(size, size), noise);
    BufferedImage grey = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        grey.setRGB(x, y, new Color(128, 128, 128).getRGB());
      }
    }
    probes.put("Flat grey (128, 128, 128)", grey);
    return probes;
  }

  /** Where the validation pictures came from, in the card's words. */
  private static String describe(Path dir) {
    return dir == null ? "none" : PictureSet.read(dir).provenance(dir);
  }
}
