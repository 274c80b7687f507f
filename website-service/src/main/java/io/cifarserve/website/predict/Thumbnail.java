package io.cifarserve.website.predict;

import io.cifarserve.common.chart.Canvas;
import io.cifarserve.common.image.ImageDecoder;
import io.cifarserve.common.image.ImageDecodingException;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Base64;

/**
 * A small copy of the whole uploaded picture with the centre square the model classifies outlined,
 * so a user sees what was cropped away (a dog beside a bicycle may be mostly bicycle in the
 * square). Re-encoded as PNG: the page never shows the uploaded bytes themselves.
 */
final class Thumbnail {

  static final int SIDE = 160;

  private static final Color OUTLINE = new Color(255, 200, 0);

  private final ImageDecoder decoder;

  Thumbnail(long maxPixels) {
    this.decoder = new ImageDecoder(maxPixels);
  }

  /** A PNG data URI, or null when the picture cannot be read here. */
  String dataUri(byte[] picture) {
    BufferedImage whole;
    try {
      whole = decoder.decodeReduced(picture, SIDE);
    } catch (ImageDecodingException e) {
      return null;
    }
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
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(Canvas.png(small));
  }
}
