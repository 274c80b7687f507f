package io.cifarserve.website.backend;

/** The inference service refused the request (4xx); the message is its problem detail. */
public class InferenceRejectedException extends RuntimeException {

  private final int status;

  public InferenceRejectedException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
