package io.cifarserve.training.calibrate;

/**
 * The model card's section on pictures of other things, source by source. Applying it again
 * replaces the earlier section, so a model can be evaluated again.
 */
public final class OutlierCard {

  static final String HEADING = "## Pictures of other things, by source";

  private OutlierCard() {}

  /** The card with this report's section just before its limitations (or at its end). */
  public static String apply(String card, OutlierEvaluation.Report report, String setDescription) {
    String base = Cards.withoutSection(card, HEADING);
    return Cards.insertBefore(base, "## Limitations", section(report, setDescription));
  }

  static String section(OutlierEvaluation.Report r, String setDescription) {
    StringBuilder md = new StringBuilder(HEADING).append("\n\n");
    md.append(
        ("%,d pictures that show none of the ten classes (%s), answered by the shipped model with its"
                + " shipped temperature and threshold. Nothing was fitted or chosen on them. *Unsure*"
                + " is the share answered \"not sure\"; *AUROC* how well the shipped score ranks test"
                + " pictures above these (1 is perfect); *FPR at 95%% TPR* the share still scoring"
                + " above the value that 95%% of all test pictures reach (lower is better). Sources"
                + " marked *independent* are reserved for independent checks: never trained on, and"
                + " nothing was chosen by looking at them.%n%n")
            .formatted(r.all().pictures(), setDescription));
    md.append("| source | role | pictures | unsure | AUROC | FPR at 95% TPR |\n");
    md.append("|---|---|---:|---:|---:|---:|\n");
    for (OutlierEvaluation.SourceResult s : r.sources()) {
      md.append(row(s.source(), s.role(), s));
    }
    md.append(row("**all**", "", r.all()));
    return md.toString();
  }

  private static String row(String name, String role, OutlierEvaluation.SourceResult s) {
    return "| %s | %s | %d | %.1f%% | %.3f | %.1f%% |%n"
        .formatted(name, role, s.pictures(), 100 * s.flagged(), s.auroc(), 100 * s.fprAt95Tpr());
  }
}
