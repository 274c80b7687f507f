package io.cifarserve.inference.problem;

import java.time.Duration;
import java.util.Optional;
import org.springframework.http.HttpStatus;

/** The queue is full or the result took too long: the client should retry later (503). */
public class OverloadedException extends ServiceException {

  private final Duration retryAfter;

  public OverloadedException(String message, Duration retryAfter) {
    super(HttpStatus.SERVICE_UNAVAILABLE, "overloaded", "Service overloaded", message);
    this.retryAfter = retryAfter;
  }

  @Override
  public Optional<Duration> retryAfter() {
    return Optional.of(retryAfter);
  }
}
