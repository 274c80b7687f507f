package io.cifarserve.classifier.onnx;

/** A model file ONNX Runtime cannot load, or whose inputs, outputs or metadata do not fit. */
public class InvalidModelException extends RuntimeException {

  public InvalidModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
