package io.cifarserve.classifier.onnx;

/** A call reached a classifier after it was closed, e.g. just after a model swap. */
public class ClassifierClosedException extends IllegalStateException {

  public ClassifierClosedException(String message) {
    super(message);
  }
}
