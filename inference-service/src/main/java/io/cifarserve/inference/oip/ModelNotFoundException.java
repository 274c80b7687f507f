package io.cifarserve.inference.oip;

/** A request names a model or version this server does not serve (404). */
public class ModelNotFoundException extends RuntimeException {

  public ModelNotFoundException(String message) {
    super(message);
  }
}
