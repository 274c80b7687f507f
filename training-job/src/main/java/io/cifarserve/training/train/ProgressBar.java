package io.cifarserve.training.train;

import io.cifarserve.common.progress.TimeLeft;
import java.io.PrintStream;
import java.time.Duration;

/**
 * A one-line progress bar with images/s and ETA. On a terminal it redraws in place; in a log (no
 * console, e.g. a Cloud Run Job) it prints a line every tenth of the work instead.
 */
public final class ProgressBar {

  private static final int WIDTH = 30;

  private final PrintStream out;
  private final String label;
  private final long total;
  private final boolean interactive;
  private final long startNanos = System.nanoTime();
  private int lastDecile = -1;

  public ProgressBar(PrintStream out, String label, long total) {
    this.out = out;
    this.label = label;
    this.total = Math.max(1, total);
    this.interactive = System.console() != null;
  }

  /** Reports {@code done} images processed out of the total; {@code note} is appended. */
  public void update(long done, String note) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    double rate = seconds > 0 ? done / seconds : 0;
    long remaining = rate > 0 ? Math.round((total - done) / rate) : 0;
    int filled = (int) (WIDTH * done / total);
    String line =
        "%s [%s%s] %d/%d  %.0f img/s  ETA %s  %s"
            .formatted(
                label,
                "=".repeat(filled),
                " ".repeat(WIDTH - filled),
                done,
                total,
                rate,
                TimeLeft.format(Duration.ofSeconds(remaining)),
                note);
    if (interactive) {
      out.print("\r" + line);
      if (done >= total) {
        out.println();
      }
    } else {
      int decile = (int) (10 * done / total);
      if (decile != lastDecile) {
        lastDecile = decile;
        out.println(line);
      }
    }
    out.flush();
  }
}
