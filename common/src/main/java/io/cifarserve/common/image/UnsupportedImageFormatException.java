package io.cifarserve.common.image;

/** The bytes are not in any of the supported formats (PNG, JPEG, BMP, GIF). */
public class UnsupportedImageFormatException extends ImageDecodingException {

  public UnsupportedImageFormatException(String message) {
    super(message);
  }
}
