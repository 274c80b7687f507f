package io.cifarserve.batch;

import io.cifarserve.common.progress.TimeLeft;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Files done, files per second and time left: redrawn in place on a terminal, a line every {@code
 * period} otherwise (a Cloud Run task's log).
 */
final class Progress {

  private final PrintStream out;
  private final boolean terminal;
  private final long total;
  private final long periodNanos;
  private final long started = System.nanoTime();
  private long lastPrinted = started;

  Progress(PrintStream out, boolean terminal, long total, Duration period) {
    this.out = out;
    this.terminal = terminal;
    this.total = total;
    this.periodNanos = period.toNanos();
  }

  void update(long done) {
    long now = System.nanoTime();
    if (!terminal && now - lastPrinted < periodNanos && done < total) {
      return;
    }
    lastPrinted = now;
    double seconds = Math.max(1e-9, (now - started) / 1e9);
    double rate = done / seconds;
    long left = rate > 0 ? Math.round((total - done) / rate) : -1;
    String line =
        "%,d/%,d files, %.1f files/s, ETA %s"
            .formatted(
                done, total, rate, left < 0 ? "?" : TimeLeft.format(Duration.ofSeconds(left)));
    if (terminal) {
      out.print("\r" + line + (done >= total ? "\n" : ""));
    } else {
      out.println(line);
    }
    out.flush();
  }
}
