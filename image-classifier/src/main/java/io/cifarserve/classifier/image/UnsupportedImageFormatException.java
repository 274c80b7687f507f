package io.cifarserve.classifier.image;

/** The bytes are not in any of the supported formats (PNG, JPEG, BMP, GIF). */
public class UnsupportedImageFormatException extends ImageDecodingException {

  public UnsupportedImageFormatException(String message) {
    super(message);
  }
}
