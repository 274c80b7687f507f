package io.cifarserve.training.calibrate;

import java.util.ArrayList;
import java.util.List;

/**
 * The model card's section on calibration and unsure answers, and its limitations updated to match.
 * Applying it again replaces the earlier section, so a model can be re-calibrated.
 */
public final class TrustCard {

  static final String HEADING = "## Calibration and unsure answers";
  private static final String LIMITATIONS = "## Limitations";
  private static final List<String> REPLACED_LIMITATIONS =
      List.of("- The model always answers", "- Probabilities are", "- The unsure answer");

  private TrustCard() {}

  /** The card with this report's section before its limitations. */
  public static String apply(String card, TrustReport report, String outOfDistributionSource) {
    String base = Cards.withoutSection(card, HEADING);
    int limits = base.indexOf(LIMITATIONS);
    String head = limits < 0 ? base : base.substring(0, limits);
    String tail = limits < 0 ? LIMITATIONS + "\n\n" : base.substring(limits);
    return head.stripTrailing()
        + "\n\n"
        + section(report, outOfDistributionSource)
        + "\n"
        + limitations(tail, report);
  }

  static String section(TrustReport r, String outOfDistributionSource) {
    StringBuilder md = new StringBuilder(HEADING).append("\n\n");
    md.append(
        "- **Temperature %.3f**, fitted by minimising the negative log-likelihood on the %,d test pictures (the model never trained on them). Dividing logits by a temperature keeps the predicted class, so accuracy is unchanged.%n"
            .formatted(r.temperature(), r.testImages()));
    md.append(
        "- The figures below are cross-fitted: the test set is split into two halves (alternating within each class); what is fitted on one half (temperatures %.3f and %.3f) is applied to the other, and the results are pooled over both.%n%n"
            .formatted(r.foldTemperatures().get(0), r.foldTemperatures().get(1)));
    md.append("| | ECE (15 bins) | NLL | Brier |\n|---|---:|---:|---:|\n");
    md.append(row("before (temperature 1)", r.before()));
    md.append(row("after (temperature scaling)", r.after()));
    TrustReport.ScoreResult chosen = r.chosen();
    md.append(
        "%n- **Unsure answers:** an answer is unsure when its `%s` score is below **%.4f**, the value that keeps %.0f%% of the correctly classified test pictures confident (fitted on all test pictures; %.4f and %.4f on the halves). The service then says it is not sure, with its best guesses.%n"
            .formatted(
                chosen.score(),
                chosen.threshold(),
                100 * r.keepCorrect(),
                chosen.foldThresholds().get(0),
                chosen.foldThresholds().get(1)));
    md.append(
        "- Two scores were compared: `max_probability` (the largest calibrated probability) and `energy` (temperature times the log of the summed exponentiated logits).\n\n");
    md.append(
        "| score | test pictures unsure | accuracy when confident | AUROC right vs wrong | AURC | other pictures: AUROC | other pictures: unsure |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (TrustReport.ScoreResult s : r.scores()) {
      md.append(
          "| `%s`%s | %.2f%% | %.2f%% | %.4f | %.4f | %s | %s |%n"
              .formatted(
                  s.score(),
                  s == chosen ? " (shipped)" : "",
                  100 * s.testFlagged(),
                  100 * s.confidentAccuracy(),
                  s.misclassificationAuroc(),
                  s.aurc(),
                  s.outOfDistributionAuroc() == null
                      ? "n/a"
                      : "%.4f".formatted(s.outOfDistributionAuroc()),
                  s.outOfDistributionFlagged() == null
                      ? "n/a"
                      : "%.1f%%".formatted(100 * s.outOfDistributionFlagged())));
    }
    md.append('\n');
    if (r.outOfDistributionImages() > 0) {
      md.append(
          "- Other pictures: %,d pictures of none of the ten classes (%s). `%s` was chosen for its higher AUROC on them; being picked on the same pictures it is reported on, from two candidates, its figure there is slightly optimistic. Nothing else was fitted on them.%n"
              .formatted(r.outOfDistributionImages(), outOfDistributionSource, chosen.score()));
    } else {
      md.append(
          "- No pictures of other things were given, so `%s` was chosen for ranking right answers above wrong ones.%n"
              .formatted(chosen.score()));
    }
    for (TrustReport.ProbeResult probe : r.probes()) {
      md.append(
          "- %s: %s (score %.4f, top probability %.1f%%).%n"
              .formatted(
                  probe.name(),
                  probe.unsure() ? "unsure" : "answered confidently",
                  probe.score(),
                  100 * probe.topProbability()));
    }
    md.append(
        "- Charts: `reliability.png` (accuracy against confidence, before and after) and `risk-coverage.png` (error rate among the most confident pictures).\n");
    return md.toString();
  }

  private static String row(String name, Reliability r) {
    return "| %s | %.2f%% | %.4f | %.4f |%n".formatted(name, 100 * r.ece(), r.nll(), r.brier());
  }

  private static String limitations(String section, TrustReport r) {
    List<String> lines = new ArrayList<>();
    for (String line : section.stripTrailing().split("\n", -1)) {
      if (REPLACED_LIMITATIONS.stream().noneMatch(line::startsWith)) {
        lines.add(line);
      }
    }
    TrustReport.ScoreResult chosen = r.chosen();
    if (chosen.outOfDistributionFlagged() != null) {
      lines.add(
          "- The unsure answer catches many, not all, pictures of other things: %.1f%% of those the score was chosen on were still answered confidently with one of the ten classes."
              .formatted(100 * (1 - chosen.outOfDistributionFlagged())));
    } else {
      lines.add(
          "- The unsure answer was not measured on pictures of other things; such pictures may still get a confident class.");
    }
    lines.add(
        "- Probabilities are calibrated on CIFAR-10 test pictures; on photos unlike them they can still be overconfident.");
    return String.join("\n", lines) + "\n";
  }
}
