package io.cifarserve.common.model;

/** A model file whose metadata is missing or malformed. */
public class InvalidModelMetadataException extends RuntimeException {

  public InvalidModelMetadataException(String message, Throwable cause) {
    super(message, cause);
  }
}
