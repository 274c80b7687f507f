package io.cifarserve.mlflow;

/**
 * A call to the tracking server that failed: an error answer ({@code errorCode} as MLflow names
 * it), or no answer at all (status 0).
 */
public class MlflowException extends RuntimeException {

  private final int status;
  private final String errorCode;

  public MlflowException(int status, String errorCode, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.errorCode = errorCode;
  }

  /** The HTTP status, 0 when the server did not answer. */
  public int status() {
    return status;
  }

  /** MLflow's error code, such as {@code RESOURCE_DOES_NOT_EXIST}; empty when none was given. */
  public String errorCode() {
    return errorCode;
  }

  /** Worth retrying: no answer, overloaded, or a server-side error. */
  public boolean isTransient() {
    return status == 0 || status == 429 || status >= 500;
  }

  public boolean is(String code) {
    return code.equals(errorCode);
  }
}
