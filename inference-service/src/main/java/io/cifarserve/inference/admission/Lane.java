package io.cifarserve.inference.admission;

/** Which places a request competes for. */
public enum Lane {
  /** One picture: kept apart so that batches cannot starve it. */
  INTERACTIVE,
  /** Many pictures in one request. */
  BULK
}
