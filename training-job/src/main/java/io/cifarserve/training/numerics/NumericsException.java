package io.cifarserve.training.numerics;

/** The engine's kernels compute wrong results here and no correct alternative was found. */
public final class NumericsException extends IllegalStateException {

  public NumericsException(String message) {
    super(message);
  }
}
