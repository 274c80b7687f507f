package io.cifarserve.website.backend;

/** The inference service could not answer: down, too slow, or overloaded. */
public class InferenceUnavailableException extends RuntimeException {

  public InferenceUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
