package io.cifarserve.training.data;

/** A dataset that is missing, corrupt or of the wrong shape; the message names the file. */
public class DatasetException extends RuntimeException {

  public DatasetException(String message) {
    super(message);
  }

  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
