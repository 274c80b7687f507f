package io.cifarserve.training.tracking;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The headline figures of a run's {@code metrics.json} (or {@code evaluation.json}) as MLflow
 * metrics: test accuracy and loss, calibration (ECE and NLL before and after the temperature, the
 * share of test pictures answered unsure) and the out-of-distribution figures, overall and per
 * source.
 */
public final class FinalMetrics {

  private FinalMetrics() {}

  public static Map<String, Double> of(JsonNode metrics) {
    Map<String, Double> figures = new LinkedHashMap<>();
    JsonNode test = metrics.has("test") ? metrics.path("test") : metrics;
    put(figures, "test_accuracy", test.path("accuracy"));
    put(figures, "test_loss", test.path("loss"));
    put(figures, "test_macro_f1", test.path("macroAverage").path("f1"));
    put(figures, "test_accuracy_single_view", metrics.path("testAccuracySingleView"));
    put(figures, "agreement_with_float", metrics.path("agreementWithFloat"));
    calibration(figures, metrics.path("calibration"));
    outOfDistribution(figures, metrics.path("outOfDistribution"));
    return figures;
  }

  private static void calibration(Map<String, Double> figures, JsonNode calibration) {
    put(figures, "test_ece_uncalibrated", calibration.path("before").path("ece"));
    put(figures, "test_nll_uncalibrated", calibration.path("before").path("nll"));
    put(figures, "test_ece", calibration.path("after").path("ece"));
    put(figures, "test_nll", calibration.path("after").path("nll"));
    put(figures, "temperature", calibration.path("temperature"));
    JsonNode shipped = calibration.path("shipped");
    put(figures, "unsure_threshold", shipped.path("threshold"));
    for (JsonNode score : calibration.path("scores")) {
      if (score.path("score").asString("").equals(shipped.path("score").asString())) {
        put(figures, "test_unsure", score.path("testFlagged"));
      }
    }
  }

  private static void outOfDistribution(Map<String, Double> figures, JsonNode ood) {
    putSource(figures, "ood", ood.path("all"));
    for (JsonNode source : ood.path("sources")) {
      putSource(figures, "ood/" + source.path("source").asString(), source);
    }
  }

  private static void putSource(Map<String, Double> figures, String prefix, JsonNode source) {
    put(figures, prefix + "_flagged", source.path("flagged"));
    put(figures, prefix + "_auroc", source.path("auroc"));
    put(figures, prefix + "_fpr_at_95_tpr", source.path("fprAt95Tpr"));
  }

  private static void put(Map<String, Double> figures, String key, JsonNode value) {
    if (value.isNumber()) {
      figures.put(key, value.asDouble());
    }
  }
}
