package io.cifarserve.inference.oip;

/** An inference request whose tensors have the wrong name, type, shape or data (400). */
public class InvalidTensorException extends RuntimeException {

  public InvalidTensorException(String message) {
    super(message);
  }
}
