package io.cifarserve.classifier.image;

/** The format was recognised but the data is damaged or truncated. */
public class CorruptImageException extends ImageDecodingException {

  public CorruptImageException(String message, Throwable cause) {
    super(message, cause);
  }
}
