package io.cifarserve.classifier.image;

/** No bytes at all where a picture was expected: a malformed request rather than a bad picture. */
public class EmptyImageException extends ImageDecodingException {

  public EmptyImageException() {
    super("the picture is empty (0 bytes)");
  }
}
