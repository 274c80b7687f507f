package io.cifarserve.common.model;

/**
 * The names of the metrics a model's metadata carries, written by the training job and read by the
 * services and the website: spelt here once.
 */
public final class MetricKeys {

  public static final String TEST_ACCURACY = "test_accuracy";

  /** With test-time augmentation, the accuracy of one pass per picture. */
  public static final String TEST_ACCURACY_SINGLE_VIEW = "test_accuracy_single_view";

  /** Expected calibration error before and after temperature scaling, cross-fitted. */
  public static final String ECE_BEFORE = "calibration.ece_before";

  public static final String ECE_AFTER = "calibration.ece_after";

  /** Reliability-diagram bins before and after temperature scaling. */
  public static final String BEFORE = "before";

  public static final String AFTER = "after";

  private MetricKeys() {}

  /**
   * One number of one bin of a reliability diagram, e.g. {@code calibration.after.bin.03.count}.
   */
  public static String reliabilityBin(String stage, int index, String field) {
    return "calibration.%s.bin.%02d.%s".formatted(stage, index, field);
  }

  public static String precision(String label) {
    return "precision." + label;
  }

  public static String recall(String label) {
    return "recall." + label;
  }

  public static String f1(String label) {
    return "f1." + label;
  }

  /** Test pictures of class {@code truth} predicted as {@code predicted}. */
  public static String confusion(String truth, String predicted) {
    return "confusion." + truth + "." + predicted;
  }
}
