package io.cifarserve.classifier.image;

import java.awt.image.BufferedImage;

/** Turns a picture stored in camera orientation upright, following the EXIF orientation tag. */
final class ExifOrientation {

  private ExifOrientation() {}

  /**
   * Returns the picture as it should be displayed.
   *
   * @param orientation EXIF tag value 1-8; anything else is treated as 1 (already upright)
   */
  static BufferedImage apply(BufferedImage src, int orientation) {
    if (orientation < 2 || orientation > 8) {
      return src;
    }
    int w = src.getWidth();
    int h = src.getHeight();
    boolean swapsSides = orientation >= 5;
    int outW = swapsSides ? h : w;
    int outH = swapsSides ? w : h;
    BufferedImage out = new BufferedImage(outW, outH, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < outH; y++) {
      for (int x = 0; x < outW; x++) {
        int sx;
        int sy;
        switch (orientation) {
          case 2 -> { // mirrored left-right
            sx = w - 1 - x;
            sy = y;
          }
          case 3 -> { // rotated 180
            sx = w - 1 - x;
            sy = h - 1 - y;
          }
          case 4 -> { // mirrored top-bottom
            sx = x;
            sy = h - 1 - y;
          }
          case 5 -> { // transposed
            sx = y;
            sy = x;
          }
          case 6 -> { // needs 90 degrees clockwise
            sx = y;
            sy = h - 1 - x;
          }
          case 7 -> { // transversed
            sx = w - 1 - y;
            sy = h - 1 - x;
          }
          default -> { // 8: needs 90 degrees counter-clockwise
            sx = w - 1 - y;
            sy = x;
          }
        }
        out.setRGB(x, y, src.getRGB(sx, sy));
      }
    }
    return out;
  }
}
