package io.cifarserve.inference.admission;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The Retry-After a lane gives the requests it refuses. Each refused client that comes back while
 * the overload lasts is refused again, and on a small machine those refusals take CPU from the
 * requests being served. So the wait grows with the overload: once a second, the clients refused in
 * the last second times the wait they were given estimates how many are waiting to retry, and the
 * next wait spreads their retries so that refusals stay about a quarter of admissions. A short
 * spike gets 1 s; 512 clients against 64 places get the 10 s cap.
 */
final class RetryAdvice {

  static final Duration SHORTEST = Duration.ofSeconds(1);
  static final Duration LONGEST = Duration.ofSeconds(10);

  /** Refusals per admission the wait aims at. */
  static final double REFUSALS_PER_ADMISSION = 0.25;

  private static final long WINDOW_NANOS = Duration.ofSeconds(1).toNanos();

  private final LongSupplier nanoClock;
  private long windowStart;
  private long admitted;
  private long refused;
  private long seconds = SHORTEST.toSeconds();

  RetryAdvice(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    this.windowStart = nanoClock.getAsLong();
  }

  synchronized void admitted() {
    roll();
    admitted++;
  }

  /** Counts a refusal and returns the wait to give it. */
  synchronized Duration refused() {
    roll();
    refused++;
    return Duration.ofSeconds(seconds);
  }

  private void roll() {
    long now = nanoClock.getAsLong();
    if (now - windowStart < WINDOW_NANOS) {
      return;
    }
    // Clients refused in the window retry after `seconds`: about refused * seconds are waiting.
    // Spread over the next wait, they send refused * seconds / wait retries a window.
    double waiting = refused * (double) seconds;
    double wait = waiting / (REFUSALS_PER_ADMISSION * Math.max(1, admitted));
    seconds = Math.max(SHORTEST.toSeconds(), Math.min(LONGEST.toSeconds(), (long) Math.ceil(wait)));
    windowStart = now;
    admitted = 0;
    refused = 0;
  }
}
