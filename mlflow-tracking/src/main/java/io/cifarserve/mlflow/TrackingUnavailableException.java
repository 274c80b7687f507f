package io.cifarserve.mlflow;

/** Tracking was asked for but cannot start: the command should stop before doing any work. */
public class TrackingUnavailableException extends RuntimeException {

  public TrackingUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
