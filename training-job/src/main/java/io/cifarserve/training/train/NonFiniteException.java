package io.cifarserve.training.train;

/** A loss, gradient or weight went NaN or infinite: the run stops and exports nothing. */
public final class NonFiniteException extends IllegalStateException {

  NonFiniteException(String message) {
    super(message);
  }
}
