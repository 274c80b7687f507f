package io.cifarserve.inference.explain;

import io.cifarserve.common.chart.Canvas;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Base64;

/**
 * A small copy of the whole picture with the centre square the model classifies outlined, so a user
 * sees what was cropped away (a dog beside a bicycle may be mostly bicycle in the square).
 */
final class Thumbnail {

  /** Longest side of the thumbnail, in pixels. */
  static final int SIDE = 160;

  private static final Color OUTLINE = new Color(255, 200, 0);

  private Thumbnail() {}

  /**
   * The thumbnail of a decoded picture (at least {@link #SIDE} on its shorter side), base64 PNG.
   */
  static String png(BufferedImage whole) {
    double scale = (double) SIDE / Math.max(whole.getWidth(), whole.getHeight());
    int width = Math.max(1, (int) Math.round(whole.getWidth() * scale));
    int height = Math.max(1, (int) Math.round(whole.getHeight() * scale));
    BufferedImage small = Canvas.blank(width, height);
    Graphics2D g = Canvas.graphics(small);
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(whole, 0, 0, width, height, null);
    int side = Math.min(width, height);
    g.setColor(OUTLINE);
    g.setStroke(new BasicStroke(2f));
    g.drawRect((width - side) / 2 + 1, (height - side) / 2 + 1, side - 2, side - 2);
    g.dispose();
    return Base64.getEncoder().encodeToString(Canvas.png(small));
  }
}
