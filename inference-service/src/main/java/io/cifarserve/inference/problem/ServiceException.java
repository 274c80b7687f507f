package io.cifarserve.inference.problem;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;

/**
 * A failure that knows how it leaves the service: its HTTP status, its problem type (the last
 * segment of the RFC 9457 {@code type} URI, also the {@code inference.errors} metric tag) and
 * title. Each feature declares its own; the web layer needs no list of them.
 */
public abstract class ServiceException extends RuntimeException {

  private final HttpStatus status;
  private final String type;
  private final String title;

  protected ServiceException(HttpStatus status, String type, String title, String message) {
    super(message);
    this.status = status;
    this.type = type;
    this.title = title;
  }

  public HttpStatus status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String title() {
    return title;
  }

  /** For a 503: when to try again. */
  public Optional<Duration> retryAfter() {
    return Optional.empty();
  }

  /** Response headers the status calls for, such as a 401's {@code WWW-Authenticate}. */
  public Map<String, String> headers() {
    return Map.of();
  }
}
