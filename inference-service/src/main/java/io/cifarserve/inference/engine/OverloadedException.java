package io.cifarserve.inference.engine;

import java.time.Duration;

/** The queue is full or the result took too long: the client should retry later (503). */
public class OverloadedException extends RuntimeException {

  private final Duration retryAfter;

  public OverloadedException(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
