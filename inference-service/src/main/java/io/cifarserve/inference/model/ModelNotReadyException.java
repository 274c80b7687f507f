package io.cifarserve.inference.model;

/** No model has finished loading yet. */
public class ModelNotReadyException extends RuntimeException {

  public ModelNotReadyException() {
    super("the model is still loading; try again shortly");
  }
}
