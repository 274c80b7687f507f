package io.cifarserve.website.model;

import io.cifarserve.common.api.ModelInfo;
import io.cifarserve.common.chart.Canvas;
import io.cifarserve.common.chart.ReliabilityDiagram;
import io.cifarserve.common.model.MetricKeys;
import io.cifarserve.common.model.ReliabilityBin;
import io.cifarserve.website.backend.InferenceClient;
import io.cifarserve.website.backend.InferenceRejectedException;
import io.cifarserve.website.backend.InferenceUnavailableException;
import io.cifarserve.website.backend.ServedModels;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The model page: the served model's card, per-class scores, confusion matrix and calibration. */
@Controller
public class ModelPageController {

  private final InferenceClient client;
  private final ServedModels models;
  private final OutlierExamples examples;
  private final Parser markdown = Parser.builder().build();
  // Raw HTML in the card is shown as text: the card is data, never markup.
  private final HtmlRenderer html =
      HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build();

  public ModelPageController(
      InferenceClient client, ServedModels models, OutlierExamples examples) {
    this.client = client;
    this.models = models;
    this.examples = examples;
  }

  /** One row of the per-class table. */
  public record ClassRow(String label, Double precision, Double recall, Double f1) {}

  /**
   * One source of the evaluation pictures of other things: how many, the share answered "not sure",
   * the AUROC of the score against test pictures, and the false-positive rate at 95% TPR.
   */
  public record OutlierRow(
      String source, int pictures, double flagged, Double auroc, Double fpr95, boolean all) {}

  @GetMapping("/model")
  public String model(@RequestParam(name = "name", required = false) String name, Model model) {
    ModelInfo info = client.model(name == null || name.isBlank() ? null : name);
    models.addTo(model, info.name());
    model.addAttribute("servedModel", info);
    model.addAttribute("cardHtml", html.render(markdown.parse(info.modelCard())));
    List<ClassRow> rows = new ArrayList<>();
    for (String label : info.labels()) {
      rows.add(
          new ClassRow(
              label,
              info.metrics().get(MetricKeys.precision(label)),
              info.metrics().get(MetricKeys.recall(label)),
              info.metrics().get(MetricKeys.f1(label))));
    }
    model.addAttribute("classRows", rows);
    model.addAttribute("confusion", confusion(info));
    model.addAttribute("reliability", reliabilityDiagram(info));
    model.addAttribute("outlierRows", outlierRows(info));
    model.addAttribute("outlierExamples", outlierExamples(info));
    model.addAttribute("independentSources", examples.independentSources());
    return "model";
  }

  /**
   * The per-source figures the model carries ({@code ood.<source>.<figure>}), the total last; empty
   * for a model evaluated without them.
   */
  static List<OutlierRow> outlierRows(ModelInfo info) {
    Map<String, Map<String, Double>> bySource = new TreeMap<>();
    info.metrics()
        .forEach(
            (key, value) -> {
              if (key.startsWith("ood.") && key.lastIndexOf('.') > 4) {
                String source = key.substring(4, key.lastIndexOf('.'));
                String figure = key.substring(key.lastIndexOf('.') + 1);
                bySource.computeIfAbsent(source, s -> new TreeMap<>()).put(figure, value);
              }
            });
    List<OutlierRow> rows = new ArrayList<>();
    OutlierRow total = null;
    for (Map.Entry<String, Map<String, Double>> e : bySource.entrySet()) {
      Map<String, Double> f = e.getValue();
      if (!f.containsKey("pictures") || !f.containsKey("flagged")) {
        continue;
      }
      boolean all = e.getKey().equals("all");
      OutlierRow row =
          new OutlierRow(
              e.getKey(),
              (int) Math.round(f.get("pictures")),
              f.get("flagged"),
              f.get("auroc"),
              f.get("fpr95"),
              all);
      if (all) {
        total = row;
      } else {
        rows.add(row);
      }
    }
    if (total != null) {
      rows.add(total);
    }
    return rows;
  }

  /** The sample pictures with this model's answers, or empty when the service cannot say now. */
  private Map<String, List<OutlierExamples.Answer>> outlierExamples(ModelInfo info) {
    try {
      return examples.answeredBy(info);
    } catch (InferenceUnavailableException | InferenceRejectedException e) {
      return Map.of();
    }
  }

  /** The reliability diagram drawn from the bins the model carries, or null when it has none. */
  static String reliabilityDiagram(ModelInfo info) {
    List<ReliabilityBin> before = ReliabilityBin.readFrom(info.metrics(), MetricKeys.BEFORE);
    List<ReliabilityBin> after = ReliabilityBin.readFrom(info.metrics(), MetricKeys.AFTER);
    if (before.isEmpty() || after.isEmpty()) {
      return null;
    }
    BufferedImage diagram =
        ReliabilityDiagram.draw(
            new ReliabilityDiagram.Panel(
                "Before (T = 1): ECE %.2f%%"
                    .formatted(100 * info.metrics().getOrDefault(MetricKeys.ECE_BEFORE, 0.0)),
                before),
            new ReliabilityDiagram.Panel(
                "After (T = %.2f): ECE %.2f%%"
                    .formatted(
                        info.calibration().temperature(),
                        100 * info.metrics().getOrDefault(MetricKeys.ECE_AFTER, 0.0)),
                after));
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(Canvas.png(diagram));
  }

  /** Counts by true row and predicted column, or null when the model carries none. */
  static long[][] confusion(ModelInfo info) {
    List<String> labels = info.labels();
    long[][] counts = new long[labels.size()][labels.size()];
    boolean any = false;
    for (int t = 0; t < labels.size(); t++) {
      for (int p = 0; p < labels.size(); p++) {
        Double count = info.metrics().get(MetricKeys.confusion(labels.get(t), labels.get(p)));
        if (count != null) {
          counts[t][p] = Math.round(count);
          any = true;
        }
      }
    }
    return any ? counts : null;
  }
}
