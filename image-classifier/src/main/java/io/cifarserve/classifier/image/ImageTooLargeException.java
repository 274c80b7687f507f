package io.cifarserve.classifier.image;

/**
 * The header announces more pixels than allowed. Raised before any pixel is decoded, so a small
 * file that would expand to gigabytes (a decompression bomb) costs nothing.
 */
public class ImageTooLargeException extends ImageDecodingException {

  private final long width;
  private final long height;
  private final long maxPixels;

  public ImageTooLargeException(long width, long height, long maxPixels) {
    super(
        "image is %d x %d = %d pixels, more than the limit of %d pixels"
            .formatted(width, height, width * height, maxPixels));
    this.width = width;
    this.height = height;
    this.maxPixels = maxPixels;
  }

  public long width() {
    return width;
  }

  public long height() {
    return height;
  }

  public long maxPixels() {
    return maxPixels;
  }
}
