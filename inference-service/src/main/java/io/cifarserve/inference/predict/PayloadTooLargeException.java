package io.cifarserve.inference.predict;

/** A body or a batch over the configured limits (413). */
public class PayloadTooLargeException extends RuntimeException {

  public PayloadTooLargeException(String message) {
    super(message);
  }
}
