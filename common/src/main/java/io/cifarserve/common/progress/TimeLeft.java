package io.cifarserve.common.progress;

import java.time.Duration;

/** Time left as the progress lines of training and batch prediction print it. */
public final class TimeLeft {

  private TimeLeft() {}

  /** {@code 1h02m}, or {@code 3m05s} under an hour. */
  public static String format(Duration d) {
    return d.toHours() > 0
        ? "%dh%02dm".formatted(d.toHours(), d.toMinutesPart())
        : "%dm%02ds".formatted(d.toMinutes(), d.toSecondsPart());
  }
}
