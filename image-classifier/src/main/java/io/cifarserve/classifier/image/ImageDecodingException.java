package io.cifarserve.classifier.image;

/** Bytes that cannot be turned into a picture: callers map this to a client error, never a 500. */
public class ImageDecodingException extends RuntimeException {

  public ImageDecodingException(String message) {
    super(message);
  }

  public ImageDecodingException(String message, Throwable cause) {
    super(message, cause);
  }
}
