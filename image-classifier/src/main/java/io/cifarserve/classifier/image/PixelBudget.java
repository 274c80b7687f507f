package io.cifarserve.classifier.image;

/**
 * Room for the pixels being decoded at once. The decoder reserves a picture's pixel count, read
 * from its header, before it decodes a single pixel, and gives it back when done; a server bounds
 * its decoding memory by sharing one budget between all requests.
 */
@FunctionalInterface
public interface PixelBudget {

  /** No bound: for a command-line job that decodes one picture at a time. */
  PixelBudget UNLIMITED = (format, pixels) -> () -> {};

  /**
   * Waits until {@code pixels} fit, then holds them until the returned hold is closed.
   *
   * @param format the picture's format, as ImageIO names it ({@code png}, {@code jpeg}, ...)
   * @param pixels its width times height, from its header
   * @throws RuntimeException when they do not fit in time (the server's overload response)
   */
  Hold reserve(String format, long pixels);

  /** Pixels held for one decode. */
  interface Hold extends AutoCloseable {

    @Override
    void close();
  }
}
